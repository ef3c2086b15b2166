// The two limits on a refresh session: REFRESH_IDLE_TTL since the last refresh, and
// REFRESH_TOKEN_TTL since login no matter how often it is refreshed. The refresh cookie's
// Max-Age is whichever ends first.
import { describe, expect, it } from "vitest";
import { type App, useApp } from "../support/app";
import type { Reply } from "../support/client";
import { PROVIDERS } from "../support/databases";

const RT = "latchkey_rt";
// The short limits under test. Six seconds, not three: on a loaded two-core CI machine a sign-in
// and a refresh have taken long enough that no refresh landed inside a 3-second session.
const TTL_S = 6;
const TTL_MS = TTL_S * 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Max-Age of the refresh cookie a response set, in seconds. */
function refreshMaxAge(res: Reply): number {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${RT}=`));
  const attr = line
    ?.split(";")
    .map((a) => a.trim())
    .find((a) => a.toLowerCase().startsWith("max-age="));
  if (!attr) throw new Error(`no refresh cookie Max-Age in ${res.headers.getSetCookie().join(" | ")}`);
  return Number(attr.slice("max-age=".length));
}

async function browserLogin(app: App) {
  const user = await app.newUser();
  const browser = app.browser();
  // Load the routes once, so a cold start does not eat into the few seconds being measured.
  await browser.post("/api/auth/refresh");
  await app.script().get("/api/me");
  const loginSentAt = Date.now();
  const login = await browser.post("/api/auth/login", { username: user.username, password: user.password });
  expect(login.status).toBe(200);
  return { browser, login, loginSentAt, loggedInAt: Date.now() };
}

/**
 * Seconds left of a limit (a Max-Age, or `refresh_expires_in`) in the answer to a request sent at
 * sentAt and answered at receivedAt, when the limit is ttlMs from some moment between the two:
 * at most the whole limit, at least what remained of it when the answer arrived.
 */
function expectSecondsLeft(seconds: number, ttlMs: number, sentAt: number, receivedAt: number) {
  expect(seconds).toBeLessThanOrEqual(Math.floor(ttlMs / 1_000));
  expect(seconds).toBeGreaterThanOrEqual(Math.floor((ttlMs - (receivedAt - sentAt)) / 1_000));
}

function expectEnded(res: Reply) {
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ code: "invalid_refresh_token", message: expect.any(String) });
  // A definite end clears the cookie in the browser.
  expect(res.headers.getSetCookie().some((c) => c.startsWith(`${RT}=;`) || /^latchkey_rt=.*max-age=0/i.test(c))).toBe(true);
}

describe.each(PROVIDERS)("refresh lifetimes on %s", (provider) => {
  describe("defaults", () => {
    const app = useApp(provider, { shared: true });

    it("the refresh cookie lasts the 7-day idle limit, under the 30-day absolute one", async () => {
      const { browser, login } = await browserLogin(app);
      expect(refreshMaxAge(login)).toBeGreaterThanOrEqual(7 * 86_400 - 2);
      expect(refreshMaxAge(login)).toBeLessThanOrEqual(7 * 86_400);
      const refreshed = await browser.post("/api/auth/refresh");
      expect(refreshMaxAge(refreshed)).toBeGreaterThanOrEqual(7 * 86_400 - 2);
      expect(refreshMaxAge(refreshed)).toBeLessThanOrEqual(7 * 86_400);
    });
  });

  describe("idle limit", () => {
    const app = useApp(provider, { env: { REFRESH_IDLE_TTL: `${TTL_S}s`, REFRESH_REUSE_GRACE: "1s" } });

    it(`refreshing keeps the session alive past the idle limit; ${TTL_S + 0.5} s of idleness ends it`, async () => {
      const { browser, login, loginSentAt, loggedInAt } = await browserLogin(app);
      expectSecondsLeft(refreshMaxAge(login), TTL_MS, loginSentAt, loggedInAt);

      let last = login;
      while (Date.now() - loggedInAt < TTL_MS + 500) {
        await sleep(1_000);
        const sentAt = Date.now();
        last = await browser.post("/api/auth/refresh");
        expect(last.status).toBe(200);
        // The idle window restarts at each refresh, so Max-Age does not shrink.
        expectSecondsLeft(refreshMaxAge(last), TTL_MS, sentAt, Date.now());
      }

      await sleep(TTL_MS + 500);
      expectEnded(await browser.post("/api/auth/refresh"));
      // The session is revoked, not merely refused: its access token stops working too.
      expect((await app.script().get("/api/me", { bearer: last.body.access_token })).status).toBe(401);
    });

    it("body-delivered tokens obey the idle limit too", async () => {
      const user = await app.newUser();
      const script = app.script();
      const sentAt = Date.now();
      const login = await script.post("/api/auth/login", { username: user.username, password: user.password, token_delivery: "body" });
      expectSecondsLeft(login.body.refresh_expires_in, TTL_MS, sentAt, Date.now());
      await sleep(TTL_MS + 500);
      const late = await script.post("/api/auth/refresh", { refresh_token: login.body.refresh_token });
      expect(late.status).toBe(401);
      expect(late.body).toMatchObject({ code: "invalid_refresh_token" });
    });
  });

  describe("absolute limit", () => {
    const app = useApp(provider, { env: { REFRESH_TOKEN_TTL: `${TTL_S}s`, REFRESH_REUSE_GRACE: "1s" } });

    it(`ends the session ${TTL_S} s after login even when refreshed every second`, async () => {
      const { browser, login, loginSentAt, loggedInAt } = await browserLogin(app);
      expectSecondsLeft(refreshMaxAge(login), TTL_MS, loginSentAt, loggedInAt);

      // The session ends between loginSentAt + TTL and loggedInAt + TTL (server clock = ours).
      let refreshed = 0;
      while (Date.now() < loginSentAt + TTL_MS - 1_000) {
        await sleep(700);
        const sentAt = Date.now();
        const res = await browser.post("/api/auth/refresh");
        const receivedAt = Date.now();
        if (receivedAt >= loginSentAt + TTL_MS) break; // too slow to say which side of the end it fell
        expect(res.status).toBe(200);
        refreshed += 1;
        // Max-Age counts down to the absolute end instead of restarting at the 7-day idle limit.
        expect(refreshMaxAge(res)).toBeLessThanOrEqual(Math.floor((loggedInAt + TTL_MS - sentAt) / 1_000));
        expect(refreshMaxAge(res)).toBeGreaterThanOrEqual(Math.floor((loginSentAt + TTL_MS - receivedAt) / 1_000));
      }
      expect(refreshed).toBeGreaterThan(0);
      await sleep(loggedInAt + TTL_MS + 200 - Date.now());
      expectEnded(await browser.post("/api/auth/refresh"));
    });
  });
});
