// Attack class 7: what the response headers defend against: script injection (CSP with a nonce,
// or a prerendered page's script hashes), framing (clickjacking), MIME sniffing, leaking URLs
// (Referrer-Policy), fingerprinting (X-Powered-By), caching of personal answers, and, when
// APP_URL is https, downgrade (HSTS) and cookie tossing (__Host-/__Secure- prefixes with Secure).
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HTTP_LAYER_PROVIDER, useApp } from "../support/app";
import { Client, type Reply } from "../support/client";
import { claimsOf } from "../support/forge";

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((p) => p[0])
      .map(([name = "", ...values]) => [name.toLowerCase(), values]),
  );
}

function expectBaseline(res: Reply, label: string): void {
  expect(res.headers.get("x-content-type-options"), label).toBe("nosniff");
  expect(res.headers.get("x-frame-options"), label).toBe("DENY");
  expect(res.headers.get("referrer-policy"), label).toMatch(/^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/);
  expect(res.headers.get("x-powered-by"), label).toBeNull();
  expect(res.headers.get("server") ?? "", label).not.toMatch(/next|node|express/i);
  const csp = directives(res.headers.get("content-security-policy") ?? "");
  expect(csp.get("frame-ancestors"), label).toEqual(["'none'"]);
}

function expectStrictScripts(scriptSrc: string[], label: string): void {
  expect(scriptSrc.length, label).toBeGreaterThan(0);
  expect(scriptSrc.join(" "), label).not.toContain("'unsafe-inline'");
  expect(scriptSrc.join(" "), label).not.toContain("'unsafe-eval'");
  expect(scriptSrc.join(" "), label).not.toMatch(/(^|\s)(\*|https?:|data:)(\s|$)/);
}

function expectNoStore(res: Reply, label: string): void {
  expect(res.headers.get("cache-control") ?? "", label).toMatch(/\bno-store\b/);
  expect(res.headers.get("cache-control") ?? "", label).not.toMatch(/\b(public|s-maxage)\b/);
}

describe(`security headers over http (${HTTP_LAYER_PROVIDER})`, () => {
  const app = useApp(HTTP_LAYER_PROVIDER, { shared: true });

  it("pages rendered per request carry a nonce-based CSP with no 'unsafe-inline' script, matching the nonce on their scripts", async () => {
    for (const path of ["/login?next=%2Faccount", "/signup?next=%2Faccount", "/reset-password?token=abc"]) {
      const res = await app.browser().get(path);
      expect(res.status, path).toBe(200);
      expectBaseline(res, path);
      const csp = directives(res.headers.get("content-security-policy") ?? "");
      const scriptSrc = csp.get("script-src") ?? csp.get("default-src") ?? [];
      expectStrictScripts(scriptSrc, path);
      const nonce = scriptSrc.find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
      expect(nonce, path).toMatch(/^[A-Za-z0-9+/_-]{16,}={0,2}$/);
      expect(csp.get("object-src")).toEqual(["'none'"]);
      expect(csp.get("base-uri")).toEqual(expect.arrayContaining([expect.stringMatching(/^'(none|self)'$/)]));
      // Every script Next.js emitted carries that nonce; none runs without it.
      const scripts = [...res.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
      // A fresh nonce per response.
      const again = await app.browser().get(path);
      expect(again.headers.get("content-security-policy")).not.toBe(res.headers.get("content-security-policy"));
    }
  });

  it("prerendered pages carry a hash-based CSP allowing exactly their inline scripts, and scripts from this origin only", async () => {
    for (const path of ["/login", "/signup", "/", "/forgot-password"]) {
      const res = await app.browser().get(path);
      expect(res.status, path).toBe(200);
      expectBaseline(res, path);
      const csp = directives(res.headers.get("content-security-policy") ?? "");
      const scriptSrc = csp.get("script-src") ?? [];
      expectStrictScripts(scriptSrc, path);
      expect(
        scriptSrc.filter((s) => !s.startsWith("'sha256-")),
        path,
      ).toEqual(["'self'"]);
      expect(csp.get("object-src")).toEqual(["'none'"]);
      const inline = [...res.text.matchAll(/<script\b(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? "");
      expect(inline.length, path).toBeGreaterThan(0);
      for (const body of inline) expect(scriptSrc, path).toContain(`'sha256-${createHash("sha256").update(body).digest("base64")}'`);
      for (const [, src] of res.text.matchAll(/<script\b[^>]*\ssrc="([^"]*)"/g)) expect(src, path).toMatch(/^\/[^/\\]/);
      // Nothing per visitor in it, but one address serves several copies and per-request pages.
      expect(res.headers.get("cache-control") ?? "", path).toMatch(/\bprivate\b/);
      expect(res.headers.get("cache-control") ?? "", path).not.toMatch(/\b(public|s-maxage)\b/);
    }
  });

  it("the status pages' copies keep their status and a hash-based CSP; signed in, they are rendered per request", async () => {
    const user = await app.newUser();
    const signedIn = app.browser();
    expect((await signedIn.post("/api/auth/login", { username: user.username, password: user.password })).status).toBe(200);
    for (const [path, status, heading] of [
      ["/403", 403, "You don&#x27;t have access to this page"],
      ["/no-such-page", 404, "Page not found"],
      ["/admin/users/x/y/z", 307, null], // guarded: a signed-out visit goes through the refresh hop
    ] as const) {
      const res = await app.browser().get(path);
      expect(res.status, path).toBe(status);
      expectBaseline(res, path);
      if (heading === null) continue;
      expect(res.text, path).toContain(heading);
      const scriptSrc = directives(res.headers.get("content-security-policy") ?? "").get("script-src") ?? [];
      expect(
        scriptSrc.filter((s) => !s.startsWith("'sha256-")),
        path,
      ).toEqual(["'self'"]);
      const rendered = await signedIn.get(path);
      expect(rendered.status, path).toBe(status);
      // The whole page in the HTML, not Next's error document with the page only in its payload
      // (blank without JavaScript), which carries the viewer's name too.
      expect(rendered.text, path).toContain(heading);
      expect(rendered.text, path).not.toContain("__next_error__");
      expect(rendered.headers.get("x-latchkey-page-status"), path).toBeNull(); // applied by server.ts, never sent
      expect(rendered.text, path).toContain(user.username);
      expect(
        directives(rendered.headers.get("content-security-policy") ?? "")
          .get("script-src")
          ?.some((s) => s.startsWith("'nonce-")),
      ).toBe(true);
    }
  });

  it("a page's payload carries that page only: the status pages kept ready for notFound() and forbidden() come when raised", async () => {
    const user = await app.newUser();
    const signedIn = app.browser();
    expect((await signedIn.post("/api/auth/login", { username: user.username, password: user.password })).status).toBe(200);
    const dashboard = await signedIn.get("/dashboard");
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain(`Welcome, ${user.username}`);
    for (const text of ["Page not found", "have access to this page"]) expect(dashboard.text).not.toContain(text);
    // Raised by the page itself (the development outbox does not exist in production): 404 with
    // the page's title, and the boundary's viewer for the browser to draw the 404 page with the
    // signed-in header. Next sends a raised notFound() as its error document, whose body is drawn
    // from the payload: without JavaScript it is blank (so it was before the boundary moved).
    const raised = await signedIn.get("/dev/outbox");
    expect(raised.status).toBe(404);
    expect(raised.text).toContain("<title>Page not found");
    expect(raised.text).toContain(JSON.stringify({ viewer: { username: user.username, isAdmin: false } }).replaceAll('"', '\\"'));
  });

  it("every kind of response has nosniff, DENY framing, a referrer policy and no X-Powered-By", async () => {
    const page = await app.browser().get("/login");
    const asset = /(\/_next\/static\/[^"]+\.js)/.exec(page.text)?.[1];
    expect(asset).toBeDefined();
    const user = await app.newUser();
    const script = app.script();
    const responses: [string, Reply][] = [
      ["page", page],
      ["404 page", await script.get("/no-such-page")],
      ["static asset", await script.get(asset ?? "/")],
      ["health", await script.get("/api/health")],
      ["jwks", await script.get("/.well-known/jwks.json")],
      ["401", await script.get("/api/me")],
      ["422", await script.post("/api/auth/login", {})],
      ["login 401", await script.post("/api/auth/login", { username: user.username, password: "wrong wrong wrong wrong" })],
      ["redirect", await script.get("/dashboard")],
      ["405", await script.request("PUT", "/api/me")],
    ];
    for (const [label, res] of responses) expectBaseline(res, label);
  });

  it("every /api/auth answer and every authenticated answer says Cache-Control: no-store", async () => {
    const admin = await app.newUser({ role: "admin" });
    const browser = app.browser();
    const login = await browser.post("/api/auth/login", { username: admin.username, password: admin.password });
    const checks: [string, Reply][] = [
      ["login 200", login],
      ["login 401", await app.script().post("/api/auth/login", { username: admin.username, password: "not the password at all" })],
      ["login 422", await app.script().post("/api/auth/login", { username: 1 })],
      [
        "register 201",
        await app
          .script()
          .post("/api/auth/register", { username: `${admin.username.slice(0, 20)}x`, password: "correct horse battery staple orbit" }),
      ],
      [
        "register 409",
        await app.script().post("/api/auth/register", { username: admin.username, password: "correct horse battery staple orbit" }),
      ],
      ["me", await browser.get("/api/me")],
      ["sessions", await browser.get("/api/sessions")],
      ["admin users", await browser.get("/api/admin/users")],
      ["admin audit", await browser.get("/api/admin/audit")],
      ["admin", await browser.get("/api/admin")],
      ["protected", await browser.get("/api/protected")],
      ["dashboard page", await browser.get("/dashboard")],
      ["admin page", await browser.get("/admin")],
      ["account page", await browser.get("/account")],
      ["refresh 200", await browser.post("/api/auth/refresh")],
      ["refresh GET 303", await browser.get("/api/auth/refresh?next=/dashboard")],
      ["refresh 401", await app.script().post("/api/auth/refresh", { refresh_token: "x".repeat(43) })],
      ["logout 204", await browser.post("/api/auth/logout")],
      ["refresh GET to login", await browser.get("/api/auth/refresh?next=/dashboard")],
    ];
    for (const [label, res] of checks) {
      expect(res.status, label).toBeLessThan(500);
      expectNoStore(res, label);
    }
  });
});

describe("https APP_URL: HSTS and prefixed Secure cookies (sqlite)", () => {
  const PUBLIC = "https://latchkey.test";
  const app = useApp("sqlite", { env: { APP_URL: PUBLIC } });
  let n = 0;
  const browser = () => new Client(app.url, { browser: true, origin: PUBLIC, headers: { "x-forwarded-for": `10.210.0.${++n}` } });

  it("sends Strict-Transport-Security of at least a year on pages and API answers", async () => {
    for (const path of ["/login", "/api/health", "/api/me", "/.well-known/jwks.json"]) {
      const res = await browser().get(path);
      const hsts = res.headers.get("strict-transport-security") ?? "";
      const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0);
      expect(maxAge, path).toBeGreaterThanOrEqual(31_536_000);
    }
  });

  it("sets __Host-latchkey_at, __Secure-latchkey_rt and __Host-latchkey_device, all Secure and httpOnly, and no unprefixed cookie", async () => {
    const user = await app.newUser();
    const client = browser();
    const login = await client.post("/api/auth/login", { username: user.username, password: user.password });
    expect(login.status).toBe(200);
    expect(claimsOf(login.body.access_token).iss).toBe(PUBLIC);
    const cookies = new Map(login.headers.getSetCookie().map((line) => [line.split("=")[0] ?? "", line]));
    expect([...cookies.keys()].sort()).toEqual(["__Host-latchkey_at", "__Host-latchkey_device", "__Secure-latchkey_rt"]);
    for (const [name, line] of cookies) {
      const attrs = line.split(";").map((a) => a.trim().toLowerCase());
      expect(attrs, name).toContain("secure");
      expect(attrs, name).toContain("httponly");
      expect(attrs, name).toContain("samesite=lax");
      expect(
        attrs.some((a) => a.startsWith("domain=")),
        name,
      ).toBe(false);
      expect(attrs, name).toContain(name.startsWith("__Host-") ? "path=/" : "path=/api/auth");
    }
    expect((await client.get("/api/me")).status).toBe(200);
  });

  it("ignores an unprefixed cookie (cookie tossing from a sibling host or over plain http)", async () => {
    const user = await app.newUser();
    const client = browser();
    await client.post("/api/auth/login", { username: user.username, password: user.password });
    const token = client.cookie("__Host-latchkey_at") ?? "";
    const tossed = new Client(app.url, { browser: true, origin: PUBLIC, headers: { "x-forwarded-for": "10.210.1.1" } });
    tossed.setCookie("latchkey_at", token);
    expect((await tossed.get("/api/me")).status).toBe(401);
    tossed.setCookie("latchkey_rt", client.cookie("__Secure-latchkey_rt") ?? "", "/api/auth");
    expect((await tossed.post("/api/auth/refresh")).status).toBe(401);
  });

  it("the same-origin check uses APP_URL's origin, not the Host the server happens to see", async () => {
    const user = await app.newUser();
    const client = browser();
    await client.post("/api/auth/login", { username: user.username, password: user.password });
    const hostOrigin = await client.post("/api/auth/logout", undefined, { headers: { origin: new URL(app.url).origin } });
    expect(hostOrigin.status).toBe(403);
    expect((await client.get("/api/me")).status).toBe(200);
    expect((await client.post("/api/auth/logout")).status).toBe(204);
  });
});
