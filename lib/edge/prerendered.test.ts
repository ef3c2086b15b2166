import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { accessCookie } from "./cookies";
import { prerenderedPath, prerenderedStatus } from "./prerendered";

const ORIGIN = "http://localhost:3000";
const DEFAULTS = { passwordMinLength: 15, mailEnabled: true };

function req(path: string, cookies: Record<string, string> = {}, method = "GET"): NextRequest {
  const cookie = Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");
  return new NextRequest(`${ORIGIN}${path}`, { method, headers: cookie ? { cookie } : {} });
}

describe("prerenderedPath", () => {
  it("serves a plain visit from the copy for the theme in the cookie", () => {
    expect(prerenderedPath(req("/login"), DEFAULTS)).toBe("/prerendered/system/login");
    expect(prerenderedPath(req("/login", { latchkey_theme: "dark" }), DEFAULTS)).toBe("/prerendered/dark/login");
    expect(prerenderedPath(req("/signup", { latchkey_theme: "light" }), DEFAULTS)).toBe("/prerendered/light/signup");
    expect(prerenderedPath(req("/"), DEFAULTS)).toBe("/prerendered/system/home");
    // An unknown value is the default, as the layout reads it: never a path of the caller's choosing.
    expect(prerenderedPath(req("/login", { latchkey_theme: "../../admin" }), DEFAULTS)).toBe("/prerendered/system/login");
  });

  it("ignores the router's _rsc cache key, and nothing else in the query", () => {
    expect(prerenderedPath(req("/login?_rsc=abc"), DEFAULTS)).toBe("/prerendered/system/login");
    for (const path of ["/login?next=%2Faccount", "/login?ended=signed_out", "/login?reset=1", "/signup?next=%2F", "/login?x"]) {
      expect(prerenderedPath(req(path), DEFAULTS), path).toBeNull();
    }
  });

  it("renders per request for a signed-in visitor, a session-ended notice, or anything but GET and HEAD", () => {
    expect(prerenderedPath(req("/login", { [accessCookie().name]: "token" }), DEFAULTS)).toBeNull();
    expect(prerenderedPath(req("/", { [accessCookie().name]: "token" }), DEFAULTS)).toBeNull();
    expect(prerenderedPath(req("/login", { latchkey_ended: "signed_out" }), DEFAULTS)).toBeNull();
    expect(prerenderedPath(req("/login", {}, "POST"), DEFAULTS)).toBeNull();
    expect(prerenderedPath(req("/login", {}, "HEAD"), DEFAULTS)).toBe("/prerendered/system/login");
  });

  it("picks the copy built for the server's settings, or none when no copy matches them", () => {
    expect(prerenderedPath(req("/forgot-password"), DEFAULTS)).toBe("/prerendered/system/forgot-password/on");
    expect(prerenderedPath(req("/forgot-password"), { ...DEFAULTS, mailEnabled: false })).toBe("/prerendered/system/forgot-password/off");
    expect(prerenderedPath(req("/signup"), { ...DEFAULTS, passwordMinLength: 15 })).toBe("/prerendered/system/signup");
    expect(prerenderedPath(req("/signup"), { ...DEFAULTS, passwordMinLength: 20 })).toBeNull();
  });

  it("leaves every other page to be rendered per request", () => {
    for (const path of ["/reset-password", "/verify-email", "/dashboard", "/login/", "/logins", "/nope"]) {
      expect(prerenderedPath(req(path), DEFAULTS), path).toBeNull();
    }
  });

  it("serves /403 and an address no page has from the status pages' copies, with their status", () => {
    const unknownAddress = (pathname: string) => pathname === "/nope";
    expect(prerenderedPath(req("/403", { latchkey_theme: "dark" }), DEFAULTS)).toBe("/prerendered/dark/forbidden");
    expect(prerenderedPath(req("/nope"), { ...DEFAULTS, unknownAddress })).toBe("/prerendered/system/missing");
    expect(prerenderedPath(req("/logins"), { ...DEFAULTS, unknownAddress })).toBeNull();
    // Signed in, the header shows who: rendered per request.
    expect(prerenderedPath(req("/nope", { [accessCookie().name]: "token" }), { ...DEFAULTS, unknownAddress })).toBeNull();
    expect(prerenderedPath(req("/403", { [accessCookie().name]: "token" }), DEFAULTS)).toBeNull();
    expect(prerenderedStatus("/prerendered/dark/forbidden")).toBe(403);
    expect(prerenderedStatus("/prerendered/system/missing")).toBe(404);
    expect(prerenderedStatus("/prerendered/system/login")).toBe(200);
  });
});
