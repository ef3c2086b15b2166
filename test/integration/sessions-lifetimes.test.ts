// The two limits on a refresh session: REFRESH_IDLE_TTL since the last refresh, and
// REFRESH_TOKEN_TTL since login no matter how often it is refreshed. The refresh cookie's
// Max-Age is whichever ends first.
import { describe, expect, it } from "vitest";
import { useApp, type App } from "../support/app";
import type { Reply } from "../support/client";
import { PROVIDERS } from "../support/databases";

const RT = "latchkey_rt";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Max-Age of the refresh cookie a response set, in seconds. */
function refreshMaxAge(res: Reply): number {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${RT}=`));
  const attr = line?.split(";").map((a) => a.trim()).find((a) => a.toLowerCase().startsWith("max-age="));
  if (!attr) throw new Error(`no refresh cookie Max-Age in ${res.headers.getSetCookie().join(" | ")}`);
  return Number(attr.slice("max-age=".length));
}

async function browserLogin(app: App) {
  const user = await app.newUser();
  const browser = app.browser();
  const login = await browser.post("/api/auth/login", { username: user.username, password: user.password });
  expect(login.status).toBe(200);
  return { browser, login, loggedInAt: Date.now() };
}

function expectEnded(res: Reply) {
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ code: "invalid_refresh_token", message: expect.any(String) });
  // A definite end clears the cookie in the browser.
  expect(res.headers.getSetCookie().some((c) => c.startsWith(`${RT}=;`) || /^latchkey_rt=.*max-age=0/i.test(c))).toBe(true);
}

describe.each(PROVIDERS)("refresh lifetimes on %s", (provider) => {
  describe("defaults", () => {
    const app = useApp(provider);

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

      await sleep(1_500);
      const first = await browser.post("/api/auth/refresh");
      expect(first.status).toBe(200);
      expect([2, 3]).toContain(refreshMaxAge(first));
      await sleep(1_700);
      const second = await browser.post("/api/auth/refresh");
      expect(second.status).toBe(200);
      expect(Date.now() - loggedInAt).toBeGreaterThan(3_000);
      // The idle window restarts at each refresh, so Max-Age does not shrink.
      expect([2, 3]).toContain(refreshMaxAge(second));

      await sleep(3_500);
      expectEnded(await browser.post("/api/auth/refresh"));
      // The session is revoked, not merely refused: its access token stops working too.
      expect((await app.script().get("/api/me", { bearer: second.body.access_token })).status).toBe(401);
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
      const { browser, login, loggedInAt } = await browserLogin(app);
      expect([2, 3]).toContain(refreshMaxAge(login));

      for (let i = 1; i <= 2; i++) {
        await sleep(loggedInAt + i * 1_000 - Date.now());
        const res = await browser.post("/api/auth/refresh");
        expect(res.status).toBe(200);
        // Max-Age counts down to the absolute end instead of restarting.
        const remaining = (loggedInAt + 3_000 - Date.now()) / 1_000;
        expect(refreshMaxAge(res)).toBeLessThanOrEqual(Math.ceil(remaining));
        expect(refreshMaxAge(res)).toBeGreaterThanOrEqual(Math.floor(remaining) - 1);
      }
      await sleep(loggedInAt + 3_300 - Date.now());
      expectEnded(await browser.post("/api/auth/refresh"));
    });
  });
});
