import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadUnknownAddressTest, ROUTES_MANIFEST, routePattern, unknownAddressTest } from "./known-routes";

// As in a real app-path-routes-manifest.json (route groups already left out).
const ROUTES = [
  "/",
  "/login",
  "/403",
  "/_not-found",
  "/.well-known/jwks.json",
  "/favicon.ico",
  "/admin/users/[id]",
  "/api/sessions/[id]",
  "/docs/[...slug]",
  "/help/[[...topic]]",
  "/prerendered/[theme]/login",
];

describe("routePattern", () => {
  it("matches one segment for [x], one or more for [...x], none or more for [[...x]]", () => {
    expect(routePattern("/admin/users/[id]").test("/admin/users/abc")).toBe(true);
    expect(routePattern("/admin/users/[id]").test("/admin/users/abc/def")).toBe(false);
    expect(routePattern("/admin/users/[id]").test("/admin/users")).toBe(false);
    expect(routePattern("/docs/[...slug]").test("/docs/a/b")).toBe(true);
    expect(routePattern("/docs/[...slug]").test("/docs")).toBe(false);
    expect(routePattern("/help/[[...topic]]").test("/help")).toBe(true);
    expect(routePattern("/help/[[...topic]]").test("/help/a/b")).toBe(true);
    // A dot in a route is a dot, not any character.
    expect(routePattern("/a.b/[x]").test("/aXb/1")).toBe(false);
  });
});

describe("unknownAddressTest", () => {
  const unknown = unknownAddressTest(ROUTES, ["/robots.txt"]);

  it("says unknown only of addresses no page, route or public file has", () => {
    for (const p of ["/nope", "/no-such-page", "/login/extra", "/Login", "/docs", "/adminx", "/403/x"]) expect(unknown(p), p).toBe(true);
    for (const p of ["/login", "/403", "/favicon.ico", "/.well-known/jwks.json", "/docs/a", "/help", "/robots.txt"])
      expect(unknown(p), p).toBe(false);
  });

  it("leaves to Next whatever it cannot be sure of: guarded pages, the API, its own paths, odd spellings", () => {
    for (const p of [
      "/",
      "/admin/users/x/y", // guarded: a signed-out visit is sent to sign in, whatever is behind it
      "/dashboard/nope",
      "/account/nope",
      "/api/nope",
      "/_next/static/nope.js",
      "/_not-found",
      "/prerendered/dark/nope",
      "/nope/", // Next redirects the trailing slash away first
      "/n%6Fpe",
      "//nope",
      "/a\\b",
    ]) {
      expect(unknown(p), p).toBe(false);
    }
  });
});

describe("loadUnknownAddressTest", () => {
  const root = mkdtempSync(path.join(tmpdir(), "known-routes-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reads the build's manifest and the public folder, and takes nothing for unknown without a manifest", () => {
    const dist = path.join(root, ".next");
    expect(loadUnknownAddressTest(dist, root)).toBeUndefined();
    mkdirSync(dist, { recursive: true });
    mkdirSync(path.join(root, "public/img"), { recursive: true });
    writeFileSync(path.join(root, "public/img/logo.png"), "");
    writeFileSync(path.join(dist, ROUTES_MANIFEST), JSON.stringify({ "/(site)/login/page": "/login" }));
    const unknown = loadUnknownAddressTest(dist, root);
    expect(unknown?.("/login")).toBe(false);
    expect(unknown?.("/img/logo.png")).toBe(false);
    expect(unknown?.("/img/other.png")).toBe(true);
  });
});
