// Admin impersonation (SPEC "Admin console"; docs/decisions/0015-impersonation.md) over HTTP:
// step-up, who can be impersonated, the browser acting as the person for at most an hour with
// every audit event naming the admin, and the way back to the admin's own session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { type App, HTTP_LAYER_PROVIDERS, useApp } from "../support/app";
import type { Client, Reply } from "../support/client";

const HOUR_S = 3600;
// Long enough for a signed-in admin to act at once on a busy machine, short enough to wait out.
const REAUTH_TTL_S = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Signed = { browser: Client; accessToken: string; id: string; username: string; password: string };

async function signIn(app: App, user: { id: string; username: string; password: string }): Promise<Signed> {
  const browser = app.browser();
  const res = await browser.post("/api/auth/login", { username: user.username, password: user.password });
  expect(res.status, res.text).toBe(200);
  return { browser, accessToken: res.body.access_token, ...user };
}

/** The Set-Cookie line for `name`, if the response set or cleared it. */
function setCookieLine(res: Reply, name: string): string | undefined {
  return res.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

const maxAge = (line: string | undefined) => Number(/Max-Age=(\d+)/i.exec(line ?? "")?.[1] ?? Number.NaN);

describe.each(HTTP_LAYER_PROVIDERS)("admin impersonation on %s", (provider) => {
  const app = useApp(provider, { env: { REAUTH_TTL: `${REAUTH_TTL_S}s` } });
  let db: Db;
  beforeAll(() => {
    db = createDb(app.db.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  const impersonate = (who: Client, id: string) => who.post(`/api/admin/users/${id}/impersonate`);
  const auditOf = (type: string, userId: string) =>
    db.auditEvent.findMany({ where: { type, userId }, orderBy: { seq: "asc" }, select: { actorId: true, detail: true } });

  it("refuses non-admins (403), stale step-up (403), admins, oneself and disabled accounts (409), unknown ids (404)", async () => {
    const person = await signIn(app, await app.newUser());
    const target = await app.newUser();
    const otherAdmin = await app.newUser({ role: "admin" });
    const disabled = await app.newUser();
    const admin = await signIn(app, await app.newUser({ role: "admin" }));
    expect((await admin.browser.patch(`/api/admin/users/${disabled.id}`, { disabled: true })).status).toBe(200);
    // Each refusal below but the stale one comes right after a fresh step-up, so that it holds
    // however slowly a loaded machine answers (the step-up is checked before the target).
    const stepUp = async () => {
      const res = await admin.browser.post("/api/auth/reauthenticate", { password: admin.password });
      expect(res.status, res.text).toBe(204);
    };

    const notAdmin = await impersonate(person.browser, target.id);
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body).toMatchObject({ code: "forbidden" });
    for (const id of [admin.id, otherAdmin.id, disabled.id]) {
      await stepUp();
      const refused = await impersonate(admin.browser, id);
      expect(refused.status, refused.text).toBe(409);
      expect(refused.body).toMatchObject({ code: "cannot_impersonate", message: expect.any(String) });
    }
    await stepUp();
    const unknown = await impersonate(admin.browser, "00000000-0000-4000-8000-000000000000");
    expect(unknown.status, unknown.text).toBe(404);
    expect(unknown.body).toMatchObject({ code: "not_found" });

    await sleep(REAUTH_TTL_S * 1000 + 500);
    const stale = await impersonate(admin.browser, target.id);
    expect(stale.status).toBe(403);
    expect(stale.body).toMatchObject({ code: "reauthentication_required" });
    await stepUp();
    expect((await impersonate(admin.browser, target.id)).status).toBe(200);
    expect(await db.session.count({ where: { impersonatorId: admin.id } })).toBe(1);
  });

  it("refuses a cross-site impersonate and a cross-site stop", async () => {
    const target = await app.newUser();
    const admin = await signIn(app, await app.newUser({ role: "admin" }));
    const evil = { origin: "https://evil.example" };
    const start = await admin.browser.request("POST", `/api/admin/users/${target.id}/impersonate`, { headers: evil });
    expect(start.status).toBe(403);
    expect(start.body).toMatchObject({ code: "cross_site_request" });
    expect(await db.session.count({ where: { userId: target.id } })).toBe(0);

    expect((await impersonate(admin.browser, target.id)).status).toBe(200);
    const stop = await admin.browser.request("POST", "/api/auth/impersonation/stop", { headers: evil });
    expect(stop.status).toBe(403);
    expect(stop.body).toMatchObject({ code: "cross_site_request" });
    expect((await admin.browser.get("/api/me")).body.user).toMatchObject({ id: target.id, impersonator: { id: admin.id } });
  });

  it("a browser acts as the person for an hour at most, audited as the admin, then stops back into the admin's session", async () => {
    const target = await app.newUser();
    const persons = await signIn(app, target);
    const ownSessions = await persons.browser.get("/api/sessions");
    const personSessionId = ownSessions.body.sessions[0].id as string;
    const admin = await signIn(app, await app.newUser({ role: "admin" }));

    const startedAt = Date.now();
    const res = await impersonate(admin.browser, target.id);
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["access_token", "expires_at", "expires_in", "impersonator", "token_type", "user"]);
    expect(res.body).toMatchObject({
      token_type: "Bearer",
      user: { id: target.id, username: target.username, role: "user" },
      impersonator: { id: admin.id, username: admin.username },
    });
    // One hour at most, and the session row agrees.
    const endsAt = Date.parse(res.body.expires_at);
    expect(endsAt - startedAt).toBeLessThanOrEqual(HOUR_S * 1000 + 1_000);
    expect(endsAt - startedAt).toBeGreaterThan(HOUR_S * 1000 - 60_000);
    const row = await db.session.findFirstOrThrow({ where: { userId: target.id, impersonatorId: admin.id } });
    expect(row.expiresAt.toISOString()).toBe(res.body.expires_at);
    // The browser's cookies are the impersonation's; the admin's own session waits in the return cookie.
    expect(admin.browser.cookie("latchkey_at")).toBe(res.body.access_token);
    const back = setCookieLine(res, "latchkey_return");
    expect(back).toMatch(/^latchkey_return=[A-Za-z0-9_-]{43};/);
    expect(back).toMatch(/Path=\/api\/auth/);
    expect(back).toMatch(/HttpOnly/);
    expect(back).toMatch(/SameSite=lax/i);
    expect(maxAge(back)).toBeLessThanOrEqual(HOUR_S);
    expect(maxAge(setCookieLine(res, "latchkey_rt"))).toBeLessThanOrEqual(HOUR_S);

    const me = await admin.browser.get("/api/me");
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({
      id: target.id,
      impersonator: { id: admin.id, username: admin.username, expiresAt: res.body.expires_at },
    });
    expect((await persons.browser.get("/api/me")).body.user.impersonator).toBeNull();
    // No admin authority, no step-up: the person's credentials stay out of reach.
    expect((await admin.browser.get("/api/admin/users")).status).toBe(403);
    const reauth = await admin.browser.post("/api/auth/reauthenticate", { password: target.password });
    expect(reauth.status).toBe(403);
    expect(reauth.body).toMatchObject({ code: "forbidden" });
    const totp = await admin.browser.post("/api/account/totp");
    expect(totp.status).toBe(403);
    expect(totp.body).toMatchObject({ code: "reauthentication_required" });
    // The password needs no step-up, but an admin who knows it still cannot change it as the person.
    const password = await admin.browser.post("/api/account/password", {
      currentPassword: target.password,
      newPassword: `${target.password} changed`,
    });
    expect(password.status).toBe(403);
    expect(password.body).toMatchObject({ code: "forbidden" });
    // The person sees who is acting as them among their sessions.
    const listed = (await persons.browser.get("/api/sessions")).body.sessions as { impersonator: { username: string } | null }[];
    expect(listed.map((s) => s.impersonator)).toContainEqual({ username: admin.username });
    // A page shows the banner.
    const page = await admin.browser.get("/dashboard");
    expect(page.status).toBe(200);
    expect(page.text).toContain("impersonated by");
    expect(page.text).toContain("Stop impersonating");

    // Something the person could do, done by the admin: the event names the admin.
    expect((await admin.browser.delete(`/api/sessions/${personSessionId}`)).status).toBe(204);
    expect(await auditOf("session_revoked", target.id)).toEqual([expect.objectContaining({ actorId: admin.id })]);
    // A refresh keeps the impersonation, and does not extend it.
    const renewed = await admin.browser.post("/api/auth/refresh");
    expect(renewed.status).toBe(200);
    expect(maxAge(setCookieLine(renewed, "latchkey_rt"))).toBeLessThanOrEqual(Math.ceil((endsAt - Date.now()) / 1000));
    expect((await admin.browser.get("/api/me")).body.user).toMatchObject({ id: target.id, impersonator: { id: admin.id } });
    const impersonationToken = admin.browser.cookie("latchkey_at") ?? "";

    const stop = await admin.browser.post("/api/auth/impersonation/stop");
    expect(stop.status, stop.text).toBe(200);
    expect(Object.keys(stop.body).sort()).toEqual(["access_token", "expires_in", "token_type", "user"]);
    expect(stop.body.user).toMatchObject({ id: admin.id, role: "admin" });
    expect(maxAge(setCookieLine(stop, "latchkey_return"))).toBe(0);
    expect(admin.browser.cookie("latchkey_return")).toBeUndefined();
    const meAgain = await admin.browser.get("/api/me");
    expect(meAgain.body.user).toMatchObject({ id: admin.id, impersonator: null });
    expect((await admin.browser.get("/api/admin/users")).status).toBe(200);
    expect((await app.script().get("/api/me", { bearer: impersonationToken })).status).toBe(401);
    const ended = await db.session.findUniqueOrThrow({ where: { id: row.id }, select: { revokedReason: true } });
    expect(ended.revokedReason).toBe("impersonation_ended");
    const expectedDetail = JSON.stringify({ sessionId: row.id, expiresAt: res.body.expires_at });
    expect(await auditOf("impersonation_started", target.id)).toEqual([{ actorId: admin.id, detail: expectedDetail }]);
    expect(await auditOf("impersonation_ended", target.id)).toEqual([{ actorId: admin.id, detail: expectedDetail }]);
    // The admin is back and is not impersonating anyone.
    const again = await admin.browser.post("/api/auth/impersonation/stop");
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "not_impersonating" });
    // Being impersonated is not being seen; signing in is.
    const seen = await db.user.findUniqueOrThrow({ where: { id: target.id }, select: { lastSeenAt: true } });
    expect(seen.lastSeenAt?.getTime()).toBeLessThan(startedAt);
  });

  it("a script gets the impersonation's tokens in the body, and its own back with its refresh token", async () => {
    const target = await app.newUser();
    const admin = await app.newUser({ role: "admin" });
    const script = app.script();
    const login = await script.post("/api/auth/login", { username: admin.username, password: admin.password, token_delivery: "body" });
    const bearer = login.body.access_token as string;

    const res = await script.post(`/api/admin/users/${target.id}/impersonate`, undefined, { bearer });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(res.body).toMatchObject({ user: { id: target.id }, refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(res.body.refresh_expires_in).toBeLessThanOrEqual(HOUR_S);
    const acting = res.body.access_token as string;
    expect((await script.get("/api/me", { bearer: acting })).body.user).toMatchObject({ id: target.id, impersonator: { id: admin.id } });
    // The admin's own tokens were left alone.
    expect((await script.get("/api/me", { bearer })).body.user).toMatchObject({ id: admin.id, impersonator: null });

    const stop = await script.post("/api/auth/impersonation/stop", { refresh_token: login.body.refresh_token }, { bearer: acting });
    expect(stop.status, stop.text).toBe(200);
    expect(stop.body).toMatchObject({ user: { id: admin.id }, refresh_token: expect.any(String) });
    expect((await script.get("/api/me", { bearer: acting })).status).toBe(401);

    const own = stop.body.access_token as string;
    expect((await script.post("/api/auth/reauthenticate", { password: admin.password }, { bearer: own })).status).toBe(204);
    const second = await script.post(`/api/admin/users/${target.id}/impersonate`, undefined, { bearer: own });
    expect(second.status).toBe(200);
    const bare = await script.post("/api/auth/impersonation/stop", undefined, { bearer: second.body.access_token });
    expect(bare.status).toBe(204);
    expect(await auditOf("impersonation_ended", target.id)).toHaveLength(2);
  });

  it("when the admin's own session ended meanwhile, stop still ends the impersonation, answers 401 and clears the cookies", async () => {
    const otherAdmin = await signIn(app, await app.newUser({ role: "admin" }));
    const target = await app.newUser();
    const admin = await signIn(app, await app.newUser({ role: "admin" }));
    expect((await impersonate(admin.browser, target.id)).status).toBe(200);
    const revoke = await otherAdmin.browser.post(`/api/admin/users/${admin.id}/revoke-sessions`);
    expect(revoke.status).toBe(204);

    const stop = await admin.browser.post("/api/auth/impersonation/stop");
    expect(stop.status).toBe(401);
    expect(stop.body).toMatchObject({ code: "invalid_refresh_token" });
    for (const name of ["latchkey_at", "latchkey_rt", "latchkey_return"]) {
      expect(maxAge(setCookieLine(stop, name)), name).toBe(0);
      expect(admin.browser.cookie(name), name).toBeUndefined();
    }
    expect(await db.session.count({ where: { impersonatorId: admin.id, revokedAt: null } })).toBe(0);
    expect(await auditOf("impersonation_ended", target.id)).toEqual([expect.objectContaining({ actorId: admin.id })]);
  });

  it("stop without an impersonation is 409, and 401 without a session", async () => {
    const person = await signIn(app, await app.newUser());
    const res = await person.browser.post("/api/auth/impersonation/stop");
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "not_impersonating" });
    expect((await person.browser.get("/api/me")).status).toBe(200);
    expect((await app.browser().post("/api/auth/impersonation/stop")).status).toBe(401);
  });
});
