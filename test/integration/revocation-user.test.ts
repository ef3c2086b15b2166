// Revocation a person starts themself (SPEC "Tokens": within one second on every Node-side API):
// logout, ending one or all other sessions, logout everywhere, and a password change. Each is
// checked on /api/me and /api/protected with the still-unexpired access token as a Bearer.
import { describe, expect, it } from "vitest";
import { type App, HTTP_LAYER_PROVIDERS, useApp } from "../support/app";
import type { Client } from "../support/client";
import { withinOneSecond } from "../support/within";

const NEW_PASSWORD = "quiet lantern harbour meadow 47";

type Session = { browser: Client; accessToken: string; rt: string };

async function signIn(app: App, user: { username: string; password: string }): Promise<Session> {
  const browser = app.browser();
  const res = await browser.post("/api/auth/login", { username: user.username, password: user.password });
  expect(res.status).toBe(200);
  return { browser, accessToken: res.body.access_token, rt: browser.cookie("latchkey_rt") as string };
}

async function statuses(app: App, s: Session): Promise<[number, number]> {
  const script = app.script();
  const me = await script.get("/api/me", { bearer: s.accessToken });
  const protectedRes = await script.get("/api/protected", { bearer: s.accessToken });
  return [me.status, protectedRes.status];
}

async function expectEnded(app: App, ...sessions: Session[]): Promise<void> {
  await withinOneSecond(async () => {
    for (const s of sessions) expect(await statuses(app, s)).toEqual([401, 401]);
  });
  for (const s of sessions) {
    const me = await app.script().get("/api/me", { bearer: s.accessToken });
    expect(me.body).toMatchObject({ code: "invalid_token", message: expect.any(String) });
    const refresh = await app.script().post("/api/auth/refresh", { refresh_token: s.rt });
    expect(refresh.status).toBe(401);
    expect(refresh.body).toMatchObject({ code: "invalid_refresh_token" });
  }
}

async function expectAlive(app: App, ...sessions: Session[]): Promise<void> {
  for (const s of sessions) expect(await statuses(app, s)).toEqual([200, 200]);
}

async function otherSessionIds(app: App, s: Session): Promise<string[]> {
  const res = await app.script().get("/api/sessions", { bearer: s.accessToken });
  expect(res.status).toBe(200);
  return (res.body.sessions as { id: string; current: boolean }[]).filter((x) => !x.current).map((x) => x.id);
}

describe.each(HTTP_LAYER_PROVIDERS)("revocation by the user on %s", (provider) => {
  const app = useApp(provider, { env: { REFRESH_REUSE_GRACE: "2s" }, shared: true });

  it("logout ends this session and leaves the others", async () => {
    const user = await app.newUser();
    const [a, b] = [await signIn(app, user), await signIn(app, user)];
    const res = await a.browser.post("/api/auth/logout");
    expect(res.status).toBe(204);
    expect(a.browser.cookie("latchkey_rt")).toBeUndefined();
    await expectEnded(app, a);
    await expectAlive(app, b);
  });

  it("DELETE /api/sessions/:id ends that other session only", async () => {
    const user = await app.newUser();
    const [a, b, c] = [await signIn(app, user), await signIn(app, user), await signIn(app, user)];
    const bId = (await app.script().get("/api/sessions", { bearer: b.accessToken })).body.sessions.find(
      (s: { current: boolean }) => s.current,
    ).id;
    const res = await a.browser.delete(`/api/sessions/${bId}`);
    expect(res.status).toBe(204);
    await expectEnded(app, b);
    await expectAlive(app, a, c);
    expect(await otherSessionIds(app, a)).toHaveLength(1);
    // Ending it twice is a 404: it is no longer one of the caller's live sessions.
    expect((await app.script().delete(`/api/sessions/${bId}`, { bearer: a.accessToken })).status).toBe(404);
  });

  it("DELETE /api/sessions ends every other session and keeps the current one", async () => {
    const user = await app.newUser();
    const [a, b, c] = [await signIn(app, user), await signIn(app, user), await signIn(app, user)];
    const res = await app.script().delete("/api/sessions", { bearer: a.accessToken });
    expect(res.status).toBe(204);
    await expectEnded(app, b, c);
    await expectAlive(app, a);
    expect(await otherSessionIds(app, a)).toEqual([]);
    expect((await a.browser.post("/api/auth/refresh")).status).toBe(200);
  });

  it("logout everywhere ends every session, the current one included", async () => {
    const user = await app.newUser();
    const bystander = await signIn(app, await app.newUser());
    const [a, b] = [await signIn(app, user), await signIn(app, user)];
    const res = await a.browser.post("/api/auth/logout", { everywhere: true });
    expect(res.status).toBe(204);
    await expectEnded(app, a, b);
    await expectAlive(app, bystander);
  });

  it("a password change ends the other sessions; only the new password signs in", async () => {
    const user = await app.newUser();
    const [a, b] = [await signIn(app, user), await signIn(app, user)];

    const wrong = await a.browser.post("/api/account/password", { currentPassword: `${user.password}x`, newPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(401);
    await expectAlive(app, a, b);

    const res = await a.browser.post("/api/account/password", { currentPassword: user.password, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(204);
    await expectEnded(app, b);
    await expectAlive(app, a);
    expect((await a.browser.post("/api/auth/refresh")).status).toBe(200);

    const old = await app.script().post("/api/auth/login", { username: user.username, password: user.password });
    expect(old.status).toBe(401);
    expect(old.body).toMatchObject({ code: "invalid_credentials" });
    const fresh = await app.script().post("/api/auth/login", { username: user.username, password: NEW_PASSWORD });
    expect(fresh.status).toBe(200);
    expect(fresh.body.user).toMatchObject({ id: user.id });
  });
});
