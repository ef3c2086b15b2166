// Attack class 3: cross-site request forgery. A page on another site makes the victim's browser
// send its cookies with a state-changing request. Every such request must get 403
// cross_site_request and change nothing; Bearer requests (no ambient credentials) pass; and no
// response ever grants another origin CORS access.
import { describe, expect, it } from "vitest";
import { type App, HTTP_LAYER_PROVIDER, useApp } from "../support/app";
import { type Client, type Reply, uniqueName } from "../support/client";

type Person = { id: string; username: string; password: string };

function cookiesOf(browser: Client): string {
  return [...browser.jar.values()].map((c) => `${c.name}=${c.value}`).join("; ");
}

async function signedIn(app: App, role: "user" | "admin" = "user"): Promise<{ browser: Client; person: Person }> {
  const person = await app.newUser({ role });
  const browser = app.browser();
  const res = await browser.post("/api/auth/login", { username: person.username, password: person.password });
  expect(res.status).toBe(200);
  expect(res.body.user.role).toBe(role);
  return { browser, person };
}

function expectCrossSiteRefusal(res: Reply, label: string): void {
  expect(res.status, label).toBe(403);
  expect(res.body, label).toEqual({ code: "cross_site_request", message: expect.any(String) });
  expect(res.headers.get("set-cookie"), label).toBeNull();
  expect(res.headers.get("access-control-allow-origin"), label).toBeNull();
  expect(res.headers.get("access-control-allow-credentials"), label).toBeNull();
}

describe(`cross-site request forgery on ${HTTP_LAYER_PROVIDER}`, () => {
  const app = useApp(HTTP_LAYER_PROVIDER, { shared: true });

  const HOSTILE: [string, (app: App) => Record<string, string>][] = [
    ["Origin: https://evil.example", () => ({ origin: "https://evil.example" })],
    ['Origin: "null" (sandboxed frame, data: URL)', () => ({ origin: "null" })],
    ["Origin: the app's origin as a prefix of another host", (a) => ({ origin: `${a.url}.evil.example` })],
    ["Origin: the same host on another port", (a) => ({ origin: `http://localhost:${a.server.port === 1 ? 2 : 1}` })],
    ["no Origin, Sec-Fetch-Site: cross-site", () => ({ "sec-fetch-site": "cross-site" })],
    ["no Origin, Sec-Fetch-Site: same-site (a sibling subdomain)", () => ({ "sec-fetch-site": "same-site" })],
  ];

  it.each(HOSTILE)("%s: every cookie-authenticated write is refused and changes nothing", async (_label, headersFor) => {
    const hostile = headersFor(app);
    const victim = await signedIn(app);
    const admin = await signedIn(app, "admin");
    const target = await app.newUser();
    const other = await app
      .script()
      .post("/api/auth/login", { username: victim.person.username, password: victim.person.password, token_delivery: "body" });
    const sessions = (await victim.browser.get("/api/sessions")).body.sessions as { id: string; current: boolean; lastUsedAt: string }[];
    expect(sessions).toHaveLength(2);
    const otherId = sessions.find((s) => !s.current)?.id;
    const freshName = uniqueName("csrf");

    const send = (who: Client, method: string, path: string, json?: unknown) =>
      app.script().request(method, path, { json, headers: { cookie: cookiesOf(who), ...hostile } });
    const attempts: [string, Promise<Reply>][] = [
      ["logout", send(victim.browser, "POST", "/api/auth/logout", {})],
      ["logout everywhere", send(victim.browser, "POST", "/api/auth/logout", { everywhere: true })],
      ["refresh", send(victim.browser, "POST", "/api/auth/refresh")],
      ["end other sessions", send(victim.browser, "DELETE", "/api/sessions")],
      ["end one session", send(victim.browser, "DELETE", `/api/sessions/${otherId}`)],
      [
        "change password",
        send(victim.browser, "POST", "/api/account/password", {
          currentPassword: victim.person.password,
          newPassword: "attacker chosen passphrase 42",
        }),
      ],
      ["promote", send(admin.browser, "PATCH", `/api/admin/users/${target.id}`, { role: "admin" })],
      ["disable", send(admin.browser, "PATCH", `/api/admin/users/${target.id}`, { disabled: true })],
      ["revoke sessions", send(admin.browser, "POST", `/api/admin/users/${victim.person.id}/revoke-sessions`)],
      ["delete user", send(admin.browser, "DELETE", `/api/admin/users/${target.id}`)],
      ["login (login CSRF)", send(victim.browser, "POST", "/api/auth/login", { username: target.username, password: target.password })],
      [
        "register",
        send(victim.browser, "POST", "/api/auth/register", { username: freshName, password: "correct horse battery staple orbit" }),
      ],
    ];
    for (const [label, pending] of attempts) expectCrossSiteRefusal(await pending, label);

    // Nothing changed: the victim's sessions are alive and unrotated, its password is the old one,
    // the target is still an enabled user, and the name the attacker registered is still free.
    const after = await victim.browser.get("/api/sessions");
    expect(after.status).toBe(200);
    expect(after.body.sessions).toEqual(sessions);
    expect((await app.script().get("/api/me", { bearer: other.body.access_token })).status).toBe(200);
    const users = await admin.browser.get(`/api/admin/users?q=${target.username}`);
    expect(users.body.users).toEqual([expect.objectContaining({ id: target.id, role: "user", disabled: false, activeSessions: 0 })]);
    expect(
      (await app.script().post("/api/auth/login", { username: victim.person.username, password: victim.person.password })).status,
    ).toBe(200);
    expect(
      (await app.script().post("/api/auth/register", { username: freshName, password: "correct horse battery staple orbit" })).status,
    ).toBe(201);
  });

  it("same-origin requests with the same cookies work (Origin, or Sec-Fetch-Site: same-origin)", async () => {
    const victim = await signedIn(app);
    const other = await app
      .script()
      .post("/api/auth/login", { username: victim.person.username, password: victim.person.password, token_delivery: "body" });
    const noOrigin = await app
      .script()
      .request("DELETE", "/api/sessions", { headers: { cookie: cookiesOf(victim.browser), "sec-fetch-site": "same-origin" } });
    expect(noOrigin.status).toBe(204);
    expect((await app.script().get("/api/me", { bearer: other.body.access_token })).status).toBe(401);
    const refreshed = await victim.browser.post("/api/auth/refresh");
    expect(refreshed.status).toBe(200);
    const logout = await victim.browser.post("/api/auth/logout");
    expect(logout.status).toBe(204);
    expect((await victim.browser.get("/api/me")).status).toBe(401);
  });

  it("Bearer requests with a foreign Origin are allowed: no ambient credentials are involved", async () => {
    const person = await app.newUser();
    const script = app.script();
    const login = await script.post(
      "/api/auth/login",
      { username: person.username, password: person.password },
      { headers: { origin: "https://tool.example" } },
    );
    expect(login.status).toBe(403); // a login body carries no token: it is not exempt
    const ok = await app.script().post("/api/auth/login", { username: person.username, password: person.password });
    const token = ok.body.access_token as string;
    const foreign = { origin: "https://tool.example", "sec-fetch-site": "cross-site" };
    const sessions = await script.request("DELETE", "/api/sessions", { bearer: token, headers: foreign });
    expect(sessions.status).toBe(204);
    expect(sessions.headers.get("access-control-allow-origin")).toBeNull();
    const logout = await script.request("POST", "/api/auth/logout", { bearer: token, headers: foreign });
    expect(logout.status).toBe(204);
    expect((await script.get("/api/me", { bearer: token })).status).toBe(401);
  });

  it("no response grants CORS to a foreign origin, preflights included", async () => {
    const { browser } = await signedIn(app);
    const origin = "https://evil.example";
    for (const path of [
      "/api/auth/login",
      "/api/auth/refresh",
      "/api/auth/logout",
      "/api/me",
      "/api/sessions",
      "/api/admin/users",
      "/api/health",
      "/.well-known/jwks.json",
    ]) {
      const preflight = await app.script().request("OPTIONS", path, {
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
      });
      expect(preflight.status, `OPTIONS ${path}`).toBeLessThan(500);
      expect(preflight.headers.get("access-control-allow-origin"), `OPTIONS ${path}`).toBeNull();
      expect(preflight.headers.get("access-control-allow-credentials"), `OPTIONS ${path}`).toBeNull();
      const get = await app.script().request("GET", path, { headers: { origin, cookie: cookiesOf(browser) } });
      expect(get.headers.get("access-control-allow-origin"), `GET ${path}`).toBeNull();
      expect(get.headers.get("access-control-allow-credentials"), `GET ${path}`).toBeNull();
    }
  });
});
