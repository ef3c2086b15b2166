// GET /api/sessions: the caller's live sessions, described so a person recognises them, and
// DELETE /api/sessions/:id confined to the caller's own sessions.
import { describe, expect, it } from "vitest";
import { type App, HTTP_LAYER_PROVIDERS, useApp } from "../support/app";

const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36";
const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0";
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type SessionDto = { id: string; createdAt: string; lastUsedAt: string; address: string | null; device: string; current: boolean };

async function login(app: App, user: { username: string; password: string }, opts: { userAgent: string; address: string }) {
  const browser = app.browser(opts);
  const res = await browser.post("/api/auth/login", { username: user.username, password: user.password });
  expect(res.status).toBe(200);
  return { browser, accessToken: res.body.access_token as string };
}

async function sessionsOf(app: App, bearer: string): Promise<SessionDto[]> {
  const res = await app.script().get("/api/sessions", { bearer });
  expect(res.status).toBe(200);
  return res.body.sessions;
}

describe.each(HTTP_LAYER_PROVIDERS)("sessions list on %s", (provider) => {
  const app = useApp(provider, { env: { REFRESH_REUSE_GRACE: "2s" }, shared: true });

  it("shows created, last used, address, a readable device and which one is current", async () => {
    const user = await app.newUser();
    const started = Date.now();
    const linux = await login(app, user, { userAgent: CHROME_LINUX, address: "198.51.100.21" });
    const windows = await login(app, user, { userAgent: FIREFOX_WINDOWS, address: "198.51.100.22" });

    const seen = await sessionsOf(app, linux.accessToken);
    expect(seen).toHaveLength(2);
    for (const s of seen) {
      expect(Object.keys(s).sort()).toEqual(["address", "createdAt", "current", "device", "id", "lastUsedAt"]);
      expect(s.createdAt).toMatch(ISO);
      expect(s.lastUsedAt).toMatch(ISO);
      expect(Date.parse(s.createdAt)).toBeGreaterThanOrEqual(started - 2_000);
      expect(Date.parse(s.createdAt)).toBeLessThanOrEqual(Date.now() + 2_000);
    }
    const mine = seen.find((s) => s.current);
    const other = seen.find((s) => !s.current);
    expect(seen.filter((s) => s.current)).toHaveLength(1);
    expect(mine).toMatchObject({ address: "198.51.100.21", device: "Chrome on Linux" });
    expect(other).toMatchObject({ address: "198.51.100.22", device: "Firefox on Windows" });

    // From the other browser, "current" follows the caller.
    const fromWindows = await sessionsOf(app, windows.accessToken);
    expect(fromWindows.find((s) => s.current)?.id).toBe(other?.id);

    // A refresh moves lastUsedAt forward and records where it came from.
    await sleep(1_100);
    const moved = app.browser({ userAgent: CHROME_LINUX, address: "198.51.100.23" });
    moved.setCookie("latchkey_rt", linux.browser.cookie("latchkey_rt") as string, "/api/auth");
    const refreshed = await moved.post("/api/auth/refresh");
    expect(refreshed.status).toBe(200);
    const after = (await sessionsOf(app, refreshed.body.access_token)).find((s) => s.id === mine?.id);
    expect(after?.createdAt).toBe(mine?.createdAt);
    expect(Date.parse(after?.lastUsedAt ?? "")).toBeGreaterThan(Date.parse(mine?.lastUsedAt ?? ""));
    expect(after).toMatchObject({ address: "198.51.100.23", current: true });
  });

  it("lists only live sessions of the caller", async () => {
    const user = await app.newUser();
    const stranger = await app.newUser();
    const a = await login(app, user, { userAgent: CHROME_LINUX, address: "198.51.100.31" });
    const b = await login(app, user, { userAgent: CHROME_LINUX, address: "198.51.100.32" });
    await login(app, stranger, { userAgent: CHROME_LINUX, address: "198.51.100.33" });
    expect(await sessionsOf(app, a.accessToken)).toHaveLength(2);
    expect((await b.browser.post("/api/auth/logout")).status).toBe(204);
    const left = await sessionsOf(app, a.accessToken);
    expect(left).toHaveLength(1);
    expect(left[0]?.current).toBe(true);
    expect((await app.script().get("/api/sessions")).status).toBe(401);
  });

  it("another user's session id is a 404 and that session lives on", async () => {
    const owner = await app.newUser();
    const intruder = await app.newUser();
    const victim = await login(app, owner, { userAgent: CHROME_LINUX, address: "198.51.100.41" });
    const attacker = await login(app, intruder, { userAgent: FIREFOX_WINDOWS, address: "198.51.100.42" });
    const [victimSession] = await sessionsOf(app, victim.accessToken);
    expect(victimSession).toBeDefined();

    const denied = await app.script().delete(`/api/sessions/${victimSession?.id}`, { bearer: attacker.accessToken });
    expect(denied.status).toBe(404);
    expect(denied.body).toMatchObject({ code: "not_found", message: expect.any(String) });
    const byCookie = await attacker.browser.delete(`/api/sessions/${victimSession?.id}`);
    expect(byCookie.status).toBe(404);
    const unknown = await app.script().delete("/api/sessions/00000000-0000-4000-8000-000000000000", { bearer: attacker.accessToken });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(denied.body);

    expect((await app.script().get("/api/me", { bearer: victim.accessToken })).status).toBe(200);
    expect((await sessionsOf(app, victim.accessToken)).map((s) => s.id)).toEqual([victimSession?.id]);
    expect((await victim.browser.post("/api/auth/refresh")).status).toBe(200);
  });
});
