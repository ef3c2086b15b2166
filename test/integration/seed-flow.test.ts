// The Flask-JWT tutorial's client flow, verbatim, for a script with no cookies, on each database.
import { describe, expect, it } from "vitest";
import { HTTP_LAYER_PROVIDERS, useApp } from "../support/app";
import { GOOD_PASSWORD, uniqueName } from "../support/client";

describe.each(HTTP_LAYER_PROVIDERS)("seed client flow on %s", (provider) => {
  const app = useApp(provider, { shared: true });

  it("register → login → protected with Bearer; without it 401", async () => {
    const client = app.script();
    const username = uniqueName();
    const reg = await client.post("/api/auth/register", { username, password: GOOD_PASSWORD });
    expect(reg.status).toBe(201);
    expect(reg.body).toEqual({ message: expect.any(String), user: { id: expect.any(String), username, role: "user" } });
    expect(reg.headers.get("set-cookie")).toBeNull();

    const login = await client.post("/api/auth/login", { username, password: GOOD_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 300,
      user: { username, role: "user" },
    });
    expect(login.body.refresh_token).toBeUndefined();
    expect(login.headers.get("cache-control")).toContain("no-store");

    const ok = await client.get("/api/protected", { bearer: login.body.access_token });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ message: "This is a protected route" });

    const anon = await client.get("/api/protected");
    expect(anon.status).toBe(401);
    expect(anon.body).toMatchObject({ code: "unauthenticated", message: expect.any(String) });

    const me = await client.get("/api/me", { bearer: login.body.access_token });
    expect(me.body.user).toMatchObject({ username, role: "user" });
  });

  it("/api/admin: 403 for a user, welcome for an admin", async () => {
    const user = await app.newUser();
    const admin = await app.newUser({ role: "admin" });
    const client = app.script();
    const userToken = (await client.post("/api/auth/login", { username: user.username, password: user.password })).body.access_token;
    const adminToken = (await client.post("/api/auth/login", { username: admin.username, password: admin.password })).body.access_token;
    const refused = await client.get("/api/admin", { bearer: userToken });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("forbidden");
    const welcome = await client.get("/api/admin", { bearer: adminToken });
    expect(welcome.status).toBe(200);
    expect(welcome.body).toEqual({ message: "Welcome to the admin panel" });
    expect((await client.get("/api/admin")).status).toBe(401);
  });

  it("a script does the whole life cycle with body-delivered refresh tokens", async () => {
    const user = await app.newUser();
    const client = app.script();
    const login = await client.post("/api/auth/login", { username: user.username, password: user.password, token_delivery: "body" });
    expect(login.status).toBe(200);
    expect(login.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(login.headers.get("set-cookie")).toBeNull();

    const refreshed = await client.post("/api/auth/refresh", { refresh_token: login.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(login.body.refresh_token);
    expect((await client.get("/api/me", { bearer: refreshed.body.access_token })).status).toBe(200);

    const logout = await client.post("/api/auth/logout", undefined, { bearer: refreshed.body.access_token });
    expect(logout.status).toBe(204);
    expect((await client.get("/api/me", { bearer: refreshed.body.access_token })).status).toBe(401);
    expect((await client.post("/api/auth/refresh", { refresh_token: refreshed.body.refresh_token })).status).toBe(401);
  });

  it("login accepts the email, compared case-insensitively", async () => {
    const username = uniqueName();
    const client = app.script();
    const email = `${username}@Example.COM`;
    expect((await client.post("/api/auth/register", { username: username.toUpperCase(), password: GOOD_PASSWORD, email })).status).toBe(
      201,
    );
    const login = await client.post("/api/auth/login", { username: email.toLowerCase(), password: GOOD_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ username, email: email.toLowerCase() });
  });

  it("publishes only public keys at /.well-known/jwks.json", async () => {
    const res = await app.script().get("/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(res.body.keys.length).toBeGreaterThan(0);
    for (const key of res.body.keys) {
      expect(key).toMatchObject({ kid: expect.any(String), alg: "ES256", kty: "EC" });
      expect(key.d).toBeUndefined();
    }
  });

  it("health answers ok", async () => {
    const res = await app.script().get("/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });
});
