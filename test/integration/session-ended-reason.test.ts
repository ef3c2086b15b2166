// The sign-in page says why a session ended elsewhere, and only to the browser that held it: the
// refresh endpoint reads the reason through that browser's own refresh cookie and passes a short
// code on (?ended= for page navigations, a short-lived cookie for a page script's refresh).
import { describe, expect, it } from "vitest";
import { type App, HTTP_LAYER_PROVIDERS, useApp } from "../support/app";
import type { Client, Reply } from "../support/client";

const NEW_PASSWORD = "quiet lantern harbour meadow 47";

async function signIn(app: App, user: { username: string; password: string }): Promise<{ browser: Client; accessToken: string }> {
  const browser = app.browser();
  const res = await browser.post("/api/auth/login", { username: user.username, password: user.password });
  expect(res.status).toBe(200);
  return { browser, accessToken: res.body.access_token };
}

/** Where the page navigation through the refresh endpoint lands. */
async function landing(browser: Client): Promise<URL> {
  const res = await browser.get("/api/auth/refresh?next=/dashboard");
  expect(res.status).toBe(303);
  return new URL(res.headers.get("location") ?? "", "http://x");
}

function endedCookie(res: Reply): string | undefined {
  const line = res.headers.getSetCookie().find((c) => c.startsWith("latchkey_ended="));
  return line?.slice("latchkey_ended=".length).split(";")[0];
}

describe.each(HTTP_LAYER_PROVIDERS)("why a session ended, on %s", (provider) => {
  const app = useApp(provider, { env: { REFRESH_REUSE_GRACE: "2s" }, shared: true });

  it("a password change elsewhere: the old browser lands on /login?ended=password_changed", async () => {
    const user = await app.newUser();
    const [old, current] = [await signIn(app, user), await signIn(app, user)];
    const changed = await current.browser.post("/api/account/password", { currentPassword: user.password, newPassword: NEW_PASSWORD });
    expect(changed.status).toBe(204);

    const to = await landing(old.browser);
    expect(to.pathname).toBe("/login");
    expect(Object.fromEntries(to.searchParams)).toEqual({ next: "/dashboard", ended: "password_changed" });
    expect(old.browser.cookie("latchkey_rt")).toBeUndefined();
    // The cookie is gone now: a second navigation knows nothing any more.
    expect((await landing(old.browser)).searchParams.get("ended")).toBeNull();
    // The browser that changed it is still signed in.
    expect((await landing(current.browser)).pathname).toBe("/dashboard");
  });

  it("an admin's revoke-sessions: ended=admin, and a page script's refresh leaves the code in a cookie for /login", async () => {
    const admin = await signIn(app, await app.newUser({ role: "admin" }));
    const user = await app.newUser();
    const [navigating, scripted] = [await signIn(app, user), await signIn(app, user)];
    const res = await app.script().post(`/api/admin/users/${user.id}/revoke-sessions`, undefined, { bearer: admin.accessToken });
    expect(res.status).toBe(204);

    expect((await landing(navigating.browser)).searchParams.get("ended")).toBe("admin");

    const refresh = await scripted.browser.post("/api/auth/refresh");
    expect(refresh.status).toBe(401);
    expect(refresh.body).toEqual({ code: "invalid_refresh_token", message: expect.any(String) });
    expect(endedCookie(refresh)).toBe("admin");
    expect(refresh.headers.getSetCookie().find((c) => c.startsWith("latchkey_ended="))).toMatch(/Path=\/login/i);

    const page = await scripted.browser.get("/login?next=%2Fdashboard");
    expect(page.status).toBe(200);
    expect(page.text).toContain("You were signed out because an administrator ended your sessions.");
  });

  it("the login page shows only the fixed sentence for a code it knows", async () => {
    const known = await app.browser().get("/login?ended=password_changed");
    expect(known.text).toContain("You were signed out because your password was changed.");
    const unknown = await app.browser().get("/login?ended=%3Cb%3Erevoked_by_admin%3C%2Fb%3E");
    expect(unknown.status).toBe(200);
    expect(unknown.text).not.toContain("You were signed out");
    expect(unknown.text).not.toContain("<b>revoked_by_admin");
  });

  it("no cookie, a stranger's cookie or a script's token: no reason", async () => {
    const bare = app.browser();
    const none = await landing(bare);
    expect(Object.fromEntries(none.searchParams)).toEqual({ next: "/dashboard" });

    const stranger = app.browser();
    stranger.setCookie("latchkey_rt", "S".repeat(43), "/api/auth");
    expect((await landing(stranger)).searchParams.get("ended")).toBeNull();

    // A script presenting an ended session's token in the body gets the SPEC's 401 and no cookie.
    const user = await app.newUser();
    const login = await app.script().post("/api/auth/login", { username: user.username, password: user.password, token_delivery: "body" });
    expect(login.status).toBe(200);
    const admin = await signIn(app, await app.newUser({ role: "admin" }));
    await app.script().post(`/api/admin/users/${user.id}/revoke-sessions`, undefined, { bearer: admin.accessToken });
    const res = await app.script().post("/api/auth/refresh", { refresh_token: login.body.refresh_token });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("an old copy of a token that was rotated long before the end learns nothing", async () => {
    const user = await app.newUser();
    const holder = await signIn(app, user);
    const copy = holder.browser.cookie("latchkey_rt") as string;
    const rotated = await holder.browser.post("/api/auth/refresh");
    expect(rotated.status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_100));
    const changer = await signIn(app, user);
    await changer.browser.post("/api/account/password", { currentPassword: user.password, newPassword: NEW_PASSWORD });

    const thief = app.browser();
    thief.setCookie("latchkey_rt", copy, "/api/auth");
    expect((await landing(thief)).searchParams.get("ended")).toBeNull();
    expect((await landing(holder.browser)).searchParams.get("ended")).toBe("password_changed");
  });
});
