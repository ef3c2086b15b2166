// Revocation an administrator starts (SPEC "Tokens": within one second on every Node-side API):
// disabling an account, demoting an admin, and revoke-sessions. The target keeps an access token
// that has not expired; the server must refuse it anyway, because it reads the session and the
// role from the database on every request.
import { describe, expect, it } from "vitest";
import { type App, HTTP_LAYER_PROVIDERS, useApp } from "../support/app";
import type { Client } from "../support/client";
import { withinOneSecond } from "../support/within";

type Session = { browser: Client; accessToken: string };

async function signIn(app: App, user: { username: string; password: string }): Promise<Session> {
  const browser = app.browser();
  const res = await browser.post("/api/auth/login", { username: user.username, password: user.password });
  expect(res.status).toBe(200);
  return { browser, accessToken: res.body.access_token };
}

async function statuses(app: App, s: Session): Promise<number[]> {
  const script = app.script();
  return [
    (await script.get("/api/me", { bearer: s.accessToken })).status,
    (await script.get("/api/protected", { bearer: s.accessToken })).status,
  ];
}

async function expectEnded(app: App, ...sessions: Session[]): Promise<void> {
  await withinOneSecond(async () => {
    for (const s of sessions) expect(await statuses(app, s)).toEqual([401, 401]);
  });
  for (const s of sessions) {
    const refresh = await s.browser.post("/api/auth/refresh");
    expect(refresh.status).toBe(401);
    expect(refresh.body).toMatchObject({ code: "invalid_refresh_token" });
  }
}

describe.each(HTTP_LAYER_PROVIDERS)("revocation by an admin on %s", (provider) => {
  const app = useApp(provider, { env: { REFRESH_REUSE_GRACE: "2s" }, shared: true });

  it("disabling an account ends its sessions; the right password then gets 403 account_disabled", async () => {
    const admin = await signIn(app, await app.newUser({ role: "admin" }));
    const user = await app.newUser();
    const [a, b] = [await signIn(app, user), await signIn(app, user)];

    const res = await admin.browser.patch(`/api/admin/users/${user.id}`, { disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, disabled: true, role: "user" });
    await expectEnded(app, a, b);

    const rightPassword = await app.script().post("/api/auth/login", { username: user.username, password: user.password });
    expect(rightPassword.status).toBe(403);
    expect(rightPassword.body).toMatchObject({ code: "account_disabled", message: expect.any(String) });
    expect(rightPassword.body.access_token).toBeUndefined();
    const wrongPassword = await app.script().post("/api/auth/login", { username: user.username, password: `${user.password}!` });
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body).toMatchObject({ code: "invalid_credentials" });
    expect(await statuses(app, admin)).toEqual([200, 200]);

    // Enabling again does not bring the old sessions back, but the person can sign in.
    expect((await admin.browser.patch(`/api/admin/users/${user.id}`, { disabled: false })).status).toBe(200);
    expect(await statuses(app, a)).toEqual([401, 401]);
    expect((await app.script().post("/api/auth/login", { username: user.username, password: user.password })).status).toBe(200);
  });

  it("a demoted admin's unexpired token loses /api/admin at once; /api/me shows the new role", async () => {
    const admin = await signIn(app, await app.newUser({ role: "admin" }));
    const target = await app.newUser({ role: "admin" });
    const t = await signIn(app, target);
    expect((await app.script().get("/api/admin", { bearer: t.accessToken })).status).toBe(200);

    const res = await admin.browser.patch(`/api/admin/users/${target.id}`, { role: "user" });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: target.id, role: "user" });
    await withinOneSecond(async () => {
      const adminApi = await app.script().get("/api/admin", { bearer: t.accessToken });
      expect(adminApi.status).toBe(403);
      expect(adminApi.body).toMatchObject({ code: "forbidden", message: expect.any(String) });
      expect((await app.script().get("/api/admin/users", { bearer: t.accessToken })).status).toBe(403);
      const me = await app.script().get("/api/me", { bearer: t.accessToken });
      expect(me.status).toBe(200);
      expect(me.body.user).toMatchObject({ id: target.id, role: "user" });
    });
    // The demoted account cannot act as an admin with its old token either.
    const attempt = await app.script().patch(`/api/admin/users/${target.id}`, { role: "admin" }, { bearer: t.accessToken });
    expect(attempt.status).toBe(403);
    const listed = await app.script().get(`/api/admin/users?q=${target.username}`, { bearer: admin.accessToken });
    expect(listed.body.users).toEqual([expect.objectContaining({ id: target.id, role: "user" })]);
  });

  it("revoke-sessions ends all of the user's sessions and nobody else's", async () => {
    const admin = await signIn(app, await app.newUser({ role: "admin" }));
    const user = await app.newUser();
    const bystander = await signIn(app, await app.newUser());
    const [a, b] = [await signIn(app, user), await signIn(app, user)];

    const res = await app.script().post(`/api/admin/users/${user.id}/revoke-sessions`, undefined, { bearer: admin.accessToken });
    expect(res.status).toBe(204);
    await expectEnded(app, a, b);
    expect(await statuses(app, admin)).toEqual([200, 200]);
    expect(await statuses(app, bystander)).toEqual([200, 200]);
    // The account itself is fine: the person just signs in again.
    expect((await app.script().post("/api/auth/login", { username: user.username, password: user.password })).status).toBe(200);

    const missing = await app
      .script()
      .post("/api/admin/users/00000000-0000-4000-8000-000000000000/revoke-sessions", undefined, { bearer: admin.accessToken });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: "not_found" });
    const notAdmin = await app.script().post(`/api/admin/users/${user.id}/revoke-sessions`, undefined, { bearer: bystander.accessToken });
    expect(notAdmin.status).toBe(403);
  });
});
