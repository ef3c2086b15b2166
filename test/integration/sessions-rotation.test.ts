// Refresh rotation as a client sees it: every refresh hands out a new token; the one it replaced
// still answers, with the session's current token, for REFRESH_REUSE_GRACE (two tabs, a lost
// response); after that, presenting it again is treated as theft and ends the whole session.
import { describe, expect, it } from "vitest";
import { type App, useApp } from "../support/app";
import type { Client, Reply } from "../support/client";
import { PROVIDERS } from "../support/databases";

const GRACE_MS = 2_000;
const RT = "latchkey_rt";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let addressSeq = 0;

/** The refresh token a response set as a cookie (undefined when it set none). */
function refreshCookieOf(res: Reply): string | undefined {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${RT}=`));
  return line?.slice(RT.length + 1).split(";")[0];
}

async function browserLogin(app: App, user: { username: string; password: string }, opts?: Parameters<App["browser"]>[0]) {
  const browser = app.browser(opts);
  const login = await browser.post("/api/auth/login", { username: user.username, password: user.password });
  expect(login.status).toBe(200);
  const rt = browser.cookie(RT);
  expect(rt).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return { browser, accessToken: login.body.access_token as string, rt: rt as string };
}

/** A second browser that holds a copy of someone's refresh cookie (another tab, or a thief). */
function holderOf(app: App, rt: string, opts?: Parameters<App["browser"]>[0]): Client {
  const other = app.browser(opts);
  other.setCookie(RT, rt, "/api/auth");
  return other;
}

async function expectSessionDead(app: App, accessTokens: string[], refreshTokens: string[]) {
  const script = app.script();
  for (const bearer of accessTokens) {
    const me = await script.get("/api/me", { bearer });
    expect(me.status).toBe(401);
    expect(me.body).toMatchObject({ code: "invalid_token", message: expect.any(String) });
  }
  for (const refresh_token of refreshTokens) {
    const res = await script.post("/api/auth/refresh", { refresh_token });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: "invalid_refresh_token", message: expect.any(String) });
  }
}

async function reuseEvents(app: App, username: string) {
  const admin = await app.newUser({ role: "admin" });
  const login = await app.script().post("/api/auth/login", { username: admin.username, password: admin.password });
  expect(login.status).toBe(200);
  expect(login.body.user.role).toBe("admin");
  const res = await app.script().get(`/api/admin/audit?type=refresh_token_reuse&user=${username}`, { bearer: login.body.access_token });
  expect(res.status, res.text).toBe(200);
  return res.body.events as {
    type: string;
    username: string | null;
    address: string | null;
    userAgent: string | null;
    detail: { sessionId?: string };
  }[];
}

describe.each(PROVIDERS)("refresh rotation on %s", (provider) => {
  const app = useApp(provider, { env: { REFRESH_REUSE_GRACE: "2s" }, shared: true });

  it("rotates the cookie; the old one after the grace kills the whole session and is audited", async () => {
    const user = await app.newUser();
    const { browser, rt: t0 } = await browserLogin(app, user);

    const refreshed = await browser.post("/api/auth/refresh");
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ access_token: expect.any(String), token_type: "Bearer", user: { id: user.id } });
    expect(refreshed.body.refresh_token).toBeUndefined();
    const t1 = refreshCookieOf(refreshed);
    expect(t1).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(t1).not.toBe(t0);
    expect(browser.cookie(RT)).toBe(t1);
    const currentAccess = refreshed.body.access_token as string;
    expect((await app.script().get("/api/me", { bearer: currentAccess })).status).toBe(200);

    await sleep(GRACE_MS + 500);
    addressSeq += 1;
    const thiefAddress = `203.0.113.${addressSeq}`;
    const thiefAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0";
    const thief = holderOf(app, t0, { address: thiefAddress, userAgent: thiefAgent });
    const reused = await thief.post("/api/auth/refresh");
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ code: "invalid_refresh_token", message: expect.any(String) });

    // The legitimate holder's current tokens die with the session.
    const current = await browser.post("/api/auth/refresh");
    expect(current.status).toBe(401);
    await expectSessionDead(app, [currentAccess], [t1 as string, t0]);

    const events = await reuseEvents(app, user.username);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "refresh_token_reuse",
      user: expect.objectContaining({ username: user.username }),
      address: thiefAddress,
      userAgent: thiefAgent,
    });
    expect(events[0]?.detail.sessionId).toEqual(expect.any(String));
  });

  it("within the grace the old cookie gets the session's current token, and both tabs carry on", async () => {
    const user = await app.newUser();
    const { browser: tabA, rt: t0 } = await browserLogin(app, user);
    const tabB = holderOf(app, t0);

    const first = await tabA.post("/api/auth/refresh");
    expect(first.status).toBe(200);
    const t1 = refreshCookieOf(first);
    expect(t1).toBeDefined();
    expect(t1).not.toBe(t0);

    const late = await tabB.post("/api/auth/refresh");
    expect(late.status).toBe(200);
    expect(refreshCookieOf(late)).toBe(t1);
    expect(tabB.cookie(RT)).toBe(t1);
    expect((await app.script().get("/api/me", { bearer: late.body.access_token })).body.user).toMatchObject({ id: user.id });

    // Both tabs now hold T1: one rotates it, the other (just behind) is graced onto the result.
    const nextA = await tabA.post("/api/auth/refresh");
    expect(nextA.status).toBe(200);
    const t2 = refreshCookieOf(nextA);
    expect(t2).not.toBe(t1);
    const nextB = await tabB.post("/api/auth/refresh");
    expect(nextB.status).toBe(200);
    expect(refreshCookieOf(nextB)).toBe(t2);
    for (const bearer of [nextA.body.access_token, nextB.body.access_token]) {
      expect((await app.script().get("/api/protected", { bearer })).status).toBe(200);
    }
    // Still one session, and no reuse was recorded.
    const sessions = await app.script().get("/api/sessions", { bearer: nextA.body.access_token });
    expect(sessions.body.sessions).toHaveLength(1);
    expect(await reuseEvents(app, user.username)).toEqual([]);
  });

  it("body-delivered tokens follow the same rotation, grace and reuse rules", async () => {
    const user = await app.newUser();
    const script = app.script();
    const login = await script.post("/api/auth/login", { username: user.username, password: user.password, token_delivery: "body" });
    expect(login.status).toBe(200);
    const t0 = login.body.refresh_token as string;
    expect(t0).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const first = await script.post("/api/auth/refresh", { refresh_token: t0 });
    expect(first.status).toBe(200);
    expect(first.headers.getSetCookie()).toEqual([]);
    const t1 = first.body.refresh_token as string;
    expect(t1).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(t1).not.toBe(t0);
    expect(first.body.refresh_expires_in).toBeGreaterThan(0);

    const graced = await script.post("/api/auth/refresh", { refresh_token: t0 });
    expect(graced.status).toBe(200);
    expect(graced.body.refresh_token).toBe(t1);
    expect((await script.get("/api/me", { bearer: graced.body.access_token })).status).toBe(200);

    const second = await script.post("/api/auth/refresh", { refresh_token: t1 });
    expect(second.status).toBe(200);
    const t2 = second.body.refresh_token as string;
    expect([t0, t1]).not.toContain(t2);

    await sleep(GRACE_MS + 500);
    const reused = await app.script().post("/api/auth/refresh", { refresh_token: t0 });
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ code: "invalid_refresh_token" });
    await expectSessionDead(app, [second.body.access_token, graced.body.access_token], [t2, t1]);
    const events = await reuseEvents(app, user.username);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "refresh_token_reuse", address: expect.any(String), userAgent: expect.any(String) });
  });
});
