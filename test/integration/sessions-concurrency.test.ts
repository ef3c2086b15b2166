// Concurrent writes on one session (SPEC "Failure"): many refreshes of one token, or a refresh
// racing a logout, leave exactly one consistent outcome and never a 5xx.
import { describe, expect, it } from "vitest";
import { type App, useApp } from "../support/app";
import type { Reply } from "../support/client";
import { PROVIDERS } from "../support/databases";

const RT = "latchkey_rt";

function refreshCookieOf(res: Reply): string | undefined {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${RT}=`));
  return line?.slice(RT.length + 1).split(";")[0];
}

async function scriptLogin(app: App) {
  const user = await app.newUser();
  const login = await app.script().post("/api/auth/login", { username: user.username, password: user.password, token_delivery: "body" });
  expect(login.status).toBe(200);
  return { user, accessToken: login.body.access_token as string, rt: login.body.refresh_token as string };
}

describe.each(PROVIDERS)("concurrent session writes on %s", (provider) => {
  const app = useApp(provider, { env: { REFRESH_REUSE_GRACE: "2s" }, shared: true });

  it("ten simultaneous cookie refreshes of one token all succeed with the same new token", async () => {
    const user = await app.newUser();
    const browser = app.browser();
    expect((await browser.post("/api/auth/login", { username: user.username, password: user.password })).status).toBe(200);
    const t0 = browser.cookie(RT);

    const replies = await Promise.all(Array.from({ length: 10 }, () => browser.post("/api/auth/refresh")));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    const tokens = new Set(replies.map(refreshCookieOf));
    expect(tokens.size).toBe(1);
    const [t1] = [...tokens];
    expect(t1).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(t1).not.toBe(t0);
    for (const r of replies) expect((await app.script().get("/api/me", { bearer: r.body.access_token })).status).toBe(200);

    // One live chain: T1 rotates normally, and the account has exactly one session.
    const next = await app.script().post("/api/auth/refresh", { refresh_token: t1 });
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).not.toBe(t1);
    const sessions = await app.script().get("/api/sessions", { bearer: next.body.access_token });
    expect(sessions.status).toBe(200);
    expect(sessions.body.sessions).toHaveLength(1);
  });

  it("ten simultaneous body refreshes of one token all succeed with the same new token", async () => {
    const { rt: t0 } = await scriptLogin(app);
    const script = app.script();
    const replies = await Promise.all(Array.from({ length: 10 }, () => script.post("/api/auth/refresh", { refresh_token: t0 })));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    const tokens = new Set(replies.map((r) => r.body.refresh_token as string));
    expect(tokens.size).toBe(1);
    const [t1] = [...tokens] as [string];
    expect(t1).not.toBe(t0);

    const next = await script.post("/api/auth/refresh", { refresh_token: t1 });
    expect(next.status).toBe(200);
    const sessions = await script.get("/api/sessions", { bearer: next.body.access_token });
    expect(sessions.body.sessions).toHaveLength(1);
  });

  it("a refresh racing a logout leaves the session revoked, with no 5xx", async () => {
    for (let round = 0; round < 5; round++) {
      const { accessToken, rt } = await scriptLogin(app);
      const script = app.script();
      const [refreshed, logout] = await Promise.all([
        script.post("/api/auth/refresh", { refresh_token: rt }),
        script.post("/api/auth/logout", undefined, { bearer: accessToken }),
      ]);
      expect(logout.status).toBe(204);
      expect([200, 401]).toContain(refreshed.status);

      const accessTokens = [accessToken];
      const refreshTokens = [rt];
      if (refreshed.status === 200) {
        accessTokens.push(refreshed.body.access_token);
        refreshTokens.push(refreshed.body.refresh_token);
      } else {
        expect(refreshed.body).toMatchObject({ code: "invalid_refresh_token" });
      }
      for (const bearer of accessTokens) expect((await script.get("/api/me", { bearer })).status).toBe(401);
      for (const refresh_token of refreshTokens) {
        const again = await script.post("/api/auth/refresh", { refresh_token });
        expect(again.status).toBe(401);
        expect(again.body).toMatchObject({ code: "invalid_refresh_token" });
      }
    }
  });

  it("a cookie refresh racing a cookie logout leaves the session revoked, with no 5xx", async () => {
    for (let round = 0; round < 5; round++) {
      const user = await app.newUser();
      const browser = app.browser();
      const login = await browser.post("/api/auth/login", { username: user.username, password: user.password });
      const rt = browser.cookie(RT) as string;
      const [refreshed, logout] = await Promise.all([browser.post("/api/auth/refresh"), browser.post("/api/auth/logout")]);
      expect(logout.status).toBe(204);
      expect([200, 401]).toContain(refreshed.status);
      const newRt = refreshCookieOf(refreshed);
      const script = app.script();
      for (const bearer of [login.body.access_token, refreshed.body?.access_token].filter(Boolean)) {
        expect((await script.get("/api/me", { bearer })).status).toBe(401);
      }
      for (const refresh_token of [rt, newRt].filter((t): t is string => !!t)) {
        expect((await script.post("/api/auth/refresh", { refresh_token })).status).toBe(401);
      }
    }
  });
});
