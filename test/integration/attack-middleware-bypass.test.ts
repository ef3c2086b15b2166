// Attack class 2: getting past the Edge middleware. The x-middleware-subrequest header
// (CVE-2025-29927), React Server Component and prefetch requests, and path spellings that a
// matcher might miss must never yield the admin page to a non-admin, or any protected page to
// an anonymous visitor. Paths are sent raw (node:http), since fetch would normalise them.
import { request } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { HTTP_LAYER_PROVIDER, useApp } from "../support/app";

const ADMIN_MARKER = "Find accounts, invite people, and manage access";
const DASHBOARD_MARKER = "Here is how your session works.";
const FORBIDDEN_MARKER = "have access to this page";

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

function raw(base: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: "GET", path, headers: { "x-forwarded-for": "10.250.0.1", ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Next.js answers an RSC request without its cache-busting `_rsc` parameter with a 307 that adds it; follow that one hop. */
async function rsc(base: string, path: string, headers: Record<string, string>): Promise<Raw> {
  const first = await raw(base, path, headers);
  const location = first.headers.location;
  if (first.status !== 307 || typeof location !== "string" || !location.includes("_rsc")) return first;
  const next = new URL(location, base);
  if (next.pathname.startsWith("/api/")) return first;
  return raw(base, `${next.pathname}${next.search}`, headers);
}

const SUBREQUEST_VALUES = [
  "middleware",
  "src/middleware",
  "middleware:middleware:middleware:middleware:middleware",
  "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
  "pages/_middleware",
];

const PATH_VARIANTS = [
  "/ADMIN",
  "/Admin",
  "/%61dmin",
  "/%41DMIN",
  "/admin/",
  "//admin",
  "/admin%2F",
  "/admin;x",
  "/dashboard/../admin",
  "/dashboard/%2e%2e/admin",
  "/./admin",
  "/admin?x=1",
  "/admin#x",
  "/admin%00",
  "/%2Fadmin",
];

describe(`middleware bypass attempts (${HTTP_LAYER_PROVIDER})`, () => {
  const app = useApp(HTTP_LAYER_PROVIDER, { shared: true });
  let userCookie: string;
  let adminCookie: string;

  beforeAll(async () => {
    const login = async (role: "user" | "admin") => {
      const u = await app.newUser({ role });
      const res = await app.script().post("/api/auth/login", { username: u.username, password: u.password });
      expect(res.body.user.role).toBe(role);
      return `latchkey_at=${res.body.access_token}`;
    };
    userCookie = await login("user");
    adminCookie = await login("admin");
  });

  function expectNoProtectedContent(res: Raw, label: string): void {
    expect(res.text, label).not.toContain(ADMIN_MARKER);
    expect(res.text, label).not.toContain(DASHBOARD_MARKER);
    expect(res.status, label).not.toBe(500);
  }

  it("control: an admin's cookie gets the admin page, also as RSC and through the raw client", async () => {
    const page = await raw(app.url, "/admin", { cookie: adminCookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain(ADMIN_MARKER);
    const payload = await rsc(app.url, "/admin", { cookie: adminCookie, rsc: "1" });
    expect(payload.status).toBe(200);
    expect(payload.headers["content-type"]).toContain("text/x-component");
    expect(payload.text).toContain(ADMIN_MARKER);
    const dashboard = await raw(app.url, "/dashboard", { cookie: userCookie });
    expect(dashboard.text).toContain(DASHBOARD_MARKER);
  });

  it.each(SUBREQUEST_VALUES)("x-middleware-subrequest: %s does not skip the checks", async (value) => {
    for (const page of ["/dashboard", "/admin", "/account"]) {
      const anon = await raw(app.url, page, { "x-middleware-subrequest": value });
      expect(anon.status, `${page} anonymous`).toBe(307);
      const location = new URL(String(anon.headers.location), app.url);
      expect(location.pathname).toBe("/api/auth/refresh");
      expect(location.searchParams.get("next")).toBe(page);
      expectNoProtectedContent(anon, `${page} anonymous`);
    }
    const user = await raw(app.url, "/admin", { "x-middleware-subrequest": value, cookie: userCookie });
    expect(user.status).toBe(403);
    expect(user.text).toContain(FORBIDDEN_MARKER);
    expectNoProtectedContent(user, "/admin as a user");
  });

  it("RSC, prefetch and router-state requests to /admin carry no admin content for a user", async () => {
    const tree = encodeURIComponent(JSON.stringify(["", { children: ["admin", { children: ["__PAGE__", {}] }] }]));
    const variants: Record<string, string>[] = [
      { rsc: "1" },
      { rsc: "1", "next-router-prefetch": "1" },
      { rsc: "1", "next-router-state-tree": tree },
      { rsc: "1", "next-router-prefetch": "1", "next-router-state-tree": tree, "next-url": "/admin" },
      { rsc: "1", "next-router-segment-prefetch": "/_tree" },
      { rsc: "1", "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
    ];
    for (const headers of variants) {
      for (const path of ["/admin", "/admin?_rsc=1a2b3", "/admin/audit"]) {
        const label = `${path} ${JSON.stringify(headers)}`;
        const user = await rsc(app.url, path, { ...headers, cookie: userCookie });
        expectNoProtectedContent(user, `${label} as a user`);
        // The RSC payload of the forbidden view (or, for a prefetch, of no page at all) may come
        // with 200: the client router renders it. What matters is that no admin content is in it.
        expect([200, 403], `${label} as a user`).toContain(user.status);
        const anon = await rsc(app.url, path, headers);
        expectNoProtectedContent(anon, `${label} anonymous`);
        expect(anon.status).toBe(307);
        expect(new URL(String(anon.headers.location), app.url).pathname).toBe("/api/auth/refresh");
      }
    }
  });

  it("a malformed router-state header reveals nothing (Next.js answers a bare 500 for it)", async () => {
    for (const tree of ["garbage", encodeURIComponent('["",{"children":["admin"]},null,null,true]'), "%5B"]) {
      for (const cookie of [userCookie, adminCookie.replace(/.$/, "x")]) {
        const res = await rsc(app.url, "/admin", { rsc: "1", "next-router-state-tree": tree, cookie });
        expect(res.text).not.toContain(ADMIN_MARKER);
        if (res.status === 500) expect(res.text).toBe("Internal Server Error");
      }
    }
  });

  it.each(PATH_VARIANTS)("path variant %s never serves the admin page to a user or to nobody", async (path) => {
    const anon = await raw(app.url, path);
    expectNoProtectedContent(anon, `${path} anonymous`);
    const user = await raw(app.url, path, { cookie: userCookie });
    expectNoProtectedContent(user, `${path} as a user`);
    const viaRsc = await rsc(app.url, path, { cookie: userCookie, rsc: "1" });
    expectNoProtectedContent(viaRsc, `${path} as a user over RSC`);
  });

  it("a path variant that does reach the admin page (e.g. a trailing slash redirect) still checks the role there", async () => {
    for (const path of PATH_VARIANTS) {
      const res = await raw(app.url, path, { cookie: userCookie });
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        const target = new URL(String(res.headers.location), app.url);
        expect(target.origin).toBe(new URL(app.url).origin);
        const followed = await raw(app.url, `${target.pathname}${target.search}`, { cookie: userCookie });
        expectNoProtectedContent(followed, `${path} → ${target.pathname}`);
      }
    }
  });
});
