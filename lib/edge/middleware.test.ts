// The Edge middleware (middleware.ts at the root, outside vitest's include, hence this folder),
// driven in-process with NextRequest: no server, no database.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { config, middleware } from "@/middleware";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import fixtureKeys from "@/test/fixtures/signing-keys.json";
import { tamper } from "@/test/support/forge";
import { accessCookie } from "./cookies";
import { parseKeyRing } from "./keys";
import { PAGE_STATUS_HEADER } from "./page-status";
import { signAccessToken } from "./tokens";

const ORIGIN = "http://localhost:3000";
const who = { userId: "user-1", sessionId: "session-1" };

beforeAll(() => {
  vi.stubEnv("AUTH_SIGNING_KEYS", JSON.stringify(fixtureKeys));
  vi.stubEnv("APP_URL", ORIGIN);
  vi.stubEnv("ACCESS_TOKEN_TTL", "5m");
});
afterAll(() => {
  vi.unstubAllEnvs();
});

const tokenFor = async (role: "user" | "admin") => (await signAccessToken({ ...who, role })).token;

function get(path: string, token?: string): Promise<Response> {
  const headers = new Headers({ accept: "text/html" });
  if (token !== undefined) headers.set("cookie", `${accessCookie().name}=${token}`);
  return middleware(new NextRequest(`${ORIGIN}${path}`, { headers }));
}

/** The nonce in the response's CSP, after checking the policy's shape. */
function nonceOf(res: Response): string {
  const csp = res.headers.get("content-security-policy") ?? "";
  const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/]{22}==)' 'strict-dynamic'/.exec(csp)?.[1];
  if (!nonce) throw new Error(`no nonce in CSP: ${csp}`);
  expect(csp).toContain("frame-ancestors 'none'");
  return nonce;
}

/** Passed on to the page (NextResponse.next), neither redirected nor rewritten. */
function expectPassed(res: Response): void {
  expect(res.status).toBe(200);
  expect(res.headers.get("x-middleware-next")).toBe("1");
  expect(res.headers.get("x-middleware-rewrite")).toBeNull();
  expect(res.headers.get("location")).toBeNull();
}

function expectRefresh(res: Response, next: string): void {
  expect(res.status).toBe(307);
  const location = new URL(res.headers.get("location") ?? "");
  expect(`${location.origin}${location.pathname}`).toBe(`${ORIGIN}/api/auth/refresh`);
  expect(location.searchParams.get("next")).toBe(next);
  expect(res.headers.get("cache-control")).toBe("no-store");
}

describe("middleware", () => {
  it("passes a public page with a fresh CSP nonce, also handed to the page as x-nonce", async () => {
    const first = await get("/");
    const second = await get("/login");
    expectPassed(first);
    expectPassed(second);
    const nonce = nonceOf(first);
    expect(nonceOf(second)).not.toBe(nonce);
    expect(first.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(first.headers.get("content-security-policy"));
    // A public page may be cached as the app decides; the middleware says nothing.
    expect(first.headers.get("cache-control")).toBeNull();
  });

  it("sends a protected page without an access cookie through the refresh endpoint, uncached", async () => {
    const res = await get("/dashboard");
    expectRefresh(res, "/dashboard");
    expect(res.headers.get("location")).toBe(`${ORIGIN}/api/auth/refresh?next=%2Fdashboard`);
    expect(res.headers.get("content-security-policy")).toBeNull();
    expectRefresh(await get("/account/sessions"), "/account/sessions");
    expectRefresh(await get("/admin"), "/admin");
  });

  it("keeps the query string in next", async () => {
    const res = await get("/account/sessions?tab=devices&page=2");
    expectRefresh(res, "/account/sessions?tab=devices&page=2");
    expect(res.headers.get("location")).toBe(`${ORIGIN}/api/auth/refresh?next=%2Faccount%2Fsessions%3Ftab%3Ddevices%26page%3D2`);
  });

  it("protects whole path segments only", async () => {
    expectPassed(await get("/dashboards"));
    expectPassed(await get("/administrator"));
    expectRefresh(await get("/dashboard/"), "/dashboard/");
  });

  it("passes a valid access cookie, marked private and uncacheable, with a CSP", async () => {
    const res = await get("/dashboard", await tokenFor("user"));
    expectPassed(res);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("x-middleware-request-x-nonce")).toBe(nonceOf(res));
  });

  it("redirects an expired, forged or tampered token like a missing one", async () => {
    const expired = await signAccessToken({ ...who, role: "user" }, { now: Date.now() - 10 * 60_000 });
    expectRefresh(await get("/dashboard", expired.token), "/dashboard");

    const foreign = await generateKeySet();
    const kid = fixtureKeys.keys[0]!.kid;
    const ring = await parseKeyRing(JSON.stringify({ keys: [{ ...foreign.keys[0], kid }] }));
    const forged = await signAccessToken({ ...who, role: "admin" }, { ring });
    expectRefresh(await get("/admin", forged.token), "/admin");

    const promoted = tamper(await tokenFor("user"), { role: "admin" });
    expectRefresh(await get("/admin/users", promoted), "/admin/users");
    expectRefresh(await get("/dashboard", "not-a-token"), "/dashboard");
  });

  it("shows a non-admin the 403 page on /admin, by rewrite and with status 403", async () => {
    const token = await tokenFor("user");
    for (const path of ["/admin", "/admin/users/abc"]) {
      const res = await get(path, token);
      expect(res.status).toBe(403);
      expect(res.headers.get("x-middleware-rewrite")).toBe(`${ORIGIN}/403`);
      expect(res.headers.get("location")).toBeNull();
      // Next drops the rewrite's status: server.ts applies this one (lib/edge/page-status.ts).
      expect(res.headers.get(PAGE_STATUS_HEADER)).toBe("403");
      nonceOf(res);
    }
  });

  it("names the 403 page's status for server.ts, and no other page's", async () => {
    expect((await get("/403", await tokenFor("user"))).headers.get(PAGE_STATUS_HEADER)).toBe("403");
    expect((await get("/403")).headers.get(PAGE_STATUS_HEADER)).toBe("403");
    for (const path of ["/dashboard", "/login", "/4033"]) {
      expect((await get(path, await tokenFor("user"))).headers.get(PAGE_STATUS_HEADER), path).toBeNull();
    }
  });

  it("passes an admin on /admin", async () => {
    const res = await get("/admin/users", await tokenFor("admin"));
    expectPassed(res);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
  });

  it("runs on pages only: the matcher leaves out API routes and static files", () => {
    const [matcher] = config.matcher;
    expect(config.matcher).toHaveLength(1);
    expect(matcher).toContain("api/");
    // Next compiles this matcher into a regex around this very group; anchored on its own, the group
    // gives the same answers for these paths (compared once with Next's getMiddlewareMatchers).
    const runsOn = new RegExp(`^${matcher}$`);
    for (const path of [
      "/api/me",
      "/api/auth/refresh",
      "/_next/static/chunk.js",
      "/favicon.ico",
      "/.well-known/jwks.json",
      "/prerendered/dark/login",
    ]) {
      expect(runsOn.test(path), path).toBe(false);
    }
    for (const path of ["/", "/dashboard", "/admin/users", "/login", "/apis"]) expect(runsOn.test(path), path).toBe(true);
  });
});
