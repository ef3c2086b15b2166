// Attack class 1b: tokens with a genuine signature that must still be refused because of what
// they say (time claims, role, session binding) or because they are the wrong kind of token.
// These depend on the session store, so they run on every provider.
import { describe, expect, it } from "vitest";
import { type App, HTTP_LAYER_PROVIDERS, useApp } from "../support/app";
import type { Client } from "../support/client";
import { accessClaims, type Claims, claimsOf, headerFor, nowSeconds, ringKey, signRaw } from "../support/forge";

const ADMIN_MARKER = "Find accounts, invite people, and manage access";
const DASHBOARD_MARKER = "Here is how your session works.";

type Signed = { id: string; username: string; password: string; sub: string; sid: string; access: string; refresh: string };

async function signIn(app: App, role: "user" | "admin" = "user"): Promise<Signed> {
  const u = await app.newUser({ role });
  const res = await app.script().post("/api/auth/login", { username: u.username, password: u.password, token_delivery: "body" });
  expect(res.status).toBe(200);
  expect(res.body.user.role).toBe(role);
  const { sub, sid } = claimsOf(res.body.access_token);
  return { ...u, sub, sid, access: res.body.access_token, refresh: res.body.refresh_token };
}

async function mint(app: App, who: { sub: string; sid: string }, extra: Claims = {}, role = "user"): Promise<string> {
  const key = await ringKey(app.keys);
  return signRaw(headerFor(key), accessClaims(app.url, { ...who, role }, extra), key.privateKey);
}

function expectRedirectToRefresh(res: { status: number; headers: Headers; text: string }, page: string): void {
  expect([303, 307]).toContain(res.status);
  const location = new URL(res.headers.get("location") ?? "", "http://x.invalid");
  expect(location.pathname).toBe("/api/auth/refresh");
  expect(location.searchParams.get("next")).toBe(page);
  expect(res.text).not.toContain(ADMIN_MARKER);
  expect(res.text).not.toContain(DASHBOARD_MARKER);
}

function cookieClient(app: App, token: string): Client {
  const browser = app.browser();
  browser.setCookie("latchkey_at", token);
  return browser;
}

async function liveSessions(app: App, who: Signed): Promise<{ id: string; lastUsedAt: string }[]> {
  const res = await app.script().get("/api/sessions", { bearer: who.access });
  expect(res.status).toBe(200);
  return res.body.sessions;
}

describe.each(HTTP_LAYER_PROVIDERS)("tokens with genuine signatures and hostile claims on %s", (provider) => {
  const app = useApp(provider, { shared: true });

  it("clock skew: expired by 10 s is accepted (≤ 30 s leeway), by 40 s or more is refused", async () => {
    const who = await signIn(app);
    const now = nowSeconds();
    const recent = await mint(app, who, { iat: now - 310, exp: now - 10 });
    expect((await app.script().get("/api/me", { bearer: recent })).status).toBe(200);
    for (const ago of [40, 3600]) {
      const stale = await mint(app, who, { iat: now - 300 - ago, exp: now - ago });
      const res = await app.script().get("/api/me", { bearer: stale });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: "invalid_token", message: expect.any(String) });
      expectRedirectToRefresh(await cookieClient(app, stale).get("/dashboard"), "/dashboard");
    }
  });

  it("iat or nbf in the future (beyond the skew) is refused", async () => {
    const who = await signIn(app);
    const now = nowSeconds();
    const forged = [
      await mint(app, who, { iat: now + 120, exp: now + 420 }),
      await mint(app, who, { nbf: now + 120 }),
      await mint(app, who, { iat: now + 86_400 * 365, exp: now + 86_400 * 366 }),
    ];
    for (const token of forged) {
      expect((await app.script().get("/api/me", { bearer: token })).status).toBe(401);
      expectRedirectToRefresh(await cookieClient(app, token).get("/dashboard"), "/dashboard");
    }
  });

  it("a validly signed token claiming admin for a non-admin: the role comes from the database", async () => {
    const who = await signIn(app);
    const forged = await mint(app, who, {}, "admin");
    const script = app.script();
    const adminApi = await script.get("/api/admin", { bearer: forged });
    expect(adminApi.status).toBe(403);
    expect(adminApi.body).toEqual({ code: "forbidden", message: expect.any(String) });
    expect((await script.get("/api/admin/users", { bearer: forged })).status).toBe(403);
    const promote = await script.patch(`/api/admin/users/${who.id}`, { role: "admin" }, { bearer: forged });
    expect(promote.status).toBe(403);
    const me = await script.get("/api/me", { bearer: forged });
    expect(me.status).toBe(200);
    expect(me.body.user.role).toBe("user");
    // The Edge middleware believes the claim; the page's own check must not.
    const page = await cookieClient(app, forged).get("/admin");
    expect(page.status).toBe(403);
    expect(page.text).not.toContain(ADMIN_MARKER);
    const relogin = await script.post("/api/auth/login", { username: who.username, password: who.password });
    expect(relogin.body.user.role).toBe("user");
  });

  it("a refresh token presented as an access token is refused (Bearer and cookie)", async () => {
    const who = await signIn(app);
    const bearer = await app.script().get("/api/me", { bearer: who.refresh });
    expect(bearer.status).toBe(401);
    expect(bearer.body.code).toBe("invalid_token");
    expect((await cookieClient(app, who.refresh).get("/api/me")).status).toBe(401);
    expectRedirectToRefresh(await cookieClient(app, who.refresh).get("/dashboard"), "/dashboard");
    // The refresh token itself was not consumed by being misused.
    expect((await app.script().post("/api/auth/refresh", { refresh_token: who.refresh })).status).toBe(200);
  });

  it("an access token presented as a refresh token is refused and rotates nothing", async () => {
    const who = await signIn(app);
    const before = await liveSessions(app, who);
    const body = await app.script().post("/api/auth/refresh", { refresh_token: who.access });
    expect([401, 422]).toContain(body.status);
    expect(body.body.access_token).toBeUndefined();
    const browser = app.browser();
    browser.setCookie("latchkey_rt", who.access, "/api/auth");
    const cookie = await browser.post("/api/auth/refresh");
    expect(cookie.status).toBe(401);
    expect(cookie.body).toEqual({ code: "invalid_refresh_token", message: expect.any(String) });
    const page = await browser.get("/api/auth/refresh?next=/dashboard");
    expect(page.status).toBe(303);
    expect(new URL(page.headers.get("location") ?? "", app.url).pathname).toBe("/login");
    expect(await liveSessions(app, who)).toEqual(before);
  });

  it("a token for a revoked session is refused by every Node-side check", async () => {
    const who = await signIn(app);
    const fresh = await mint(app, who);
    expect((await app.script().post("/api/auth/logout", undefined, { bearer: who.access })).status).toBe(204);
    for (const token of [who.access, fresh]) {
      expect((await app.script().get("/api/me", { bearer: token })).status).toBe(401);
      // The middleware may let the navigation through (the token is unexpired); the page may not.
      expectRedirectToRefresh(await cookieClient(app, token).get("/dashboard"), "/dashboard");
    }
    expect((await app.script().post("/api/auth/refresh", { refresh_token: who.refresh })).status).toBe(401);
  });

  it("a token whose sub does not match its session's user is refused", async () => {
    const victim = await signIn(app, "admin");
    const attacker = await signIn(app);
    const crossed = [
      await mint(app, { sub: attacker.sub, sid: victim.sid }, {}, "admin"),
      await mint(app, { sub: victim.sub, sid: attacker.sid }, {}, "admin"),
      await mint(app, { sub: victim.sub, sid: "00000000-0000-0000-0000-000000000000" }, {}, "admin"),
    ];
    const before = await liveSessions(app, victim);
    for (const token of crossed) {
      expect((await app.script().get("/api/me", { bearer: token })).status).toBe(401);
      expect((await app.script().get("/api/admin", { bearer: token })).status).toBe(401);
      expect((await app.script().delete("/api/sessions", { bearer: token })).status).toBe(401);
      expectRedirectToRefresh(await cookieClient(app, token).get("/admin"), "/admin");
    }
    expect(await liveSessions(app, victim)).toEqual(before);
    expect((await app.script().get("/api/admin", { bearer: victim.access })).status).toBe(200);
  });
});
