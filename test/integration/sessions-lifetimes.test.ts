// The two limits on a refresh session: REFRESH_IDLE_TTL since the last refresh, and
// REFRESH_TOKEN_TTL since login no matter how often it is refreshed. The refresh cookie's
// Max-Age is whichever ends first.
import { describe, expect, it } from "vitest";
import { type App, useApp } from "../support/app";
import type { Reply } from "../support/client";
import { PROVIDERS } from "../support/databases";

const RT = "latchkey_rt";
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
    const app = useApp(provider, { env: { REFRESH_IDLE_TTL: "3s", REFRESH_REUSE_GRACE: "1s" } });

    it("refreshing keeps the session alive past the idle limit; 3.5 s of idleness ends it", async () => {
      const { browser, login, loggedInAt } = await browserLogin(app);
      expect([2, 3]).toContain(refreshMaxAge(login));

      let last = login;
      while (Date.now() - loggedInAt < 3_500) {
        await sleep(1_000);
        last = await browser.post("/api/auth/refresh");
        expect(last.status).toBe(200);
        // The idle window restarts at each refresh, so Max-Age does not shrink.
        expect([2, 3]).toContain(refreshMaxAge(last));
      }

      await sleep(3_500);
      expectEnded(await browser.post("/api/auth/refresh"));
      // The session is revoked, not merely refused: its access token stops working too.
      expect((await app.script().get("/api/me", { bearer: last.body.access_token })).status).toBe(401);
    });

    it("body-delivered tokens obey the idle limit too", async () => {
      const user = await app.newUser();
      const script = app.script();
      const login = await script.post("/api/auth/login", { username: user.username, password: user.password, token_delivery: "body" });
      expect([2, 3]).toContain(login.body.refresh_expires_in);
      await sleep(3_500);
      const late = await script.post("/api/auth/refresh", { refresh_token: login.body.refresh_token });
      expect(late.status).toBe(401);
      expect(late.body).toMatchObject({ code: "invalid_refresh_token" });
    });
  });

  describe("absolute limit", () => {
    const app = useApp(provider, { env: { REFRESH_TOKEN_TTL: "3s", REFRESH_REUSE_GRACE: "1s" } });

    it("ends the session 3 s after login even when refreshed every second", async () => {
      const { browser, login, loginSentAt, loggedInAt } = await browserLogin(app);
      expect([2, 3]).toContain(refreshMaxAge(login));

      // The session ends between loginSentAt + 3 s and loggedInAt + 3 s (server clock = ours).
      let refreshed = 0;
      while (Date.now() < loginSentAt + 2_000) {
        await sleep(700);
        const sentAt = Date.now();
        const res = await browser.post("/api/auth/refresh");
        const receivedAt = Date.now();
        if (receivedAt >= loginSentAt + 3_000) break; // too slow to say which side of the end it fell
        expect(res.status).toBe(200);
        refreshed += 1;
        // Max-Age counts down to the absolute end instead of restarting at the 7-day idle limit.
        expect(refreshMaxAge(res)).toBeLessThanOrEqual(Math.floor((loggedInAt + 3_000 - sentAt) / 1_000));
        expect(refreshMaxAge(res)).toBeGreaterThanOrEqual(Math.floor((loginSentAt + 3_000 - receivedAt) / 1_000));
      }
      expect(refreshed).toBeGreaterThan(0);
      await sleep(loggedInAt + 3_200 - Date.now());
      expectEnded(await browser.post("/api/auth/refresh"));
    });
  });
});
