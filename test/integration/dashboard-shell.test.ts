// The dashboard filled into its prerendered shell (docs/decisions/0023-dashboard-shell.md): a
// plain visit gets the person's values put into HTML built once, with a CSP of exactly the filled
// page's inline scripts. Checked against the page Next renders per request for the same session
// (a query sends a visit there): the same values, escaped the same way in the HTML and in the
// flight data React hydrates from, including values built to break out of either.
import { createHash } from "node:crypto";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { HTTP_LAYER_PROVIDER, useApp } from "../support/app";
import type { Client, Reply } from "../support/client";

const INLINE_SCRIPT = /<script\b(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi;

function scriptSources(csp: string): string[] {
  const directive = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
  return directive.trim().split(/\s+/).slice(1);
}

function inlineScripts(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)].map((m) => m[1] ?? "").filter((body) => body.length > 0);
}

/** The flight data the page's inline scripts hand React, as the browser would collect it. */
function flightOf(html: string): string {
  const self = { __next_f: [] as unknown[][] };
  for (const body of inlineScripts(html)) if (body.includes("__next_f")) runInNewContext(body, { self });
  return self.__next_f.map((chunk) => (typeof chunk[1] === "string" ? chunk[1] : "")).join("");
}

function expectShell(res: Reply): void {
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toBe("private, no-store");
  const sources = scriptSources(res.headers.get("content-security-policy") ?? "");
  // Hashes only: no nonce (Next's per-request render), no 'unsafe-inline'.
  expect(sources.filter((s) => !s.startsWith("'sha256-"))).toEqual(["'self'"]);
  const hashes = inlineScripts(res.text).map((body) => `'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
  expect(hashes.length).toBeGreaterThan(0);
  expect(new Set(sources.filter((s) => s.startsWith("'sha256-")))).toEqual(new Set(hashes));
  expect(res.text).not.toMatch(/nonce="|\u27e6|9007199254740\d{3}/);
}

function expectRenderedPerRequest(res: Reply): void {
  expect(res.status).toBe(200);
  expect(scriptSources(res.headers.get("content-security-policy") ?? "").some((s) => s.startsWith("'nonce-"))).toBe(true);
}

describe(`the dashboard's prerendered shell (${HTTP_LAYER_PROVIDER})`, () => {
  const app = useApp(HTTP_LAYER_PROVIDER, { shared: true });

  async function signedIn(opts: { role?: "user" | "admin"; userAgent?: string } = {}): Promise<{ client: Client; username: string }> {
    const user = await app.newUser({ role: opts.role });
    const client = app.browser({ userAgent: opts.userAgent });
    expect((await client.post("/api/auth/login", { username: user.username, password: user.password })).status).toBe(200);
    return { client, username: user.username };
  }

  it("a plain visit is the shell filled with the person's values, hashes for its scripts, and never cached", async () => {
    const { client, username } = await signedIn();
    const filled = await client.get("/dashboard");
    expectShell(filled);
    expect(filled.text).toContain(`Welcome, ${username}`);
    expect(filled.text).toContain(`title="${username}"`); // the top bar
    expect(filled.text).toContain("Not set"); // no email
    expect(filled.text).not.toContain("Open the admin panel");
    // The same page Next renders per request, shown the same way.
    const rendered = await client.get("/dashboard?rendered");
    expectRenderedPerRequest(rendered);
    const text = (html: string) =>
      html
        .replace(/<script\b[\s\S]*?<\/script>/g, "")
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ");
    expect(text(filled.text)).toBe(text(rendered.text));
  });

  it("values built to break out of the HTML or the flight data are escaped exactly as the page rendered per request escapes them", async () => {
    // Not a browser describeDevice knows, so its first word is shown as it came: "$" (which React
    // Flight escapes at the start of a string), quotes, an ampersand and a closing script tag.
    const device = "$\"'&</script><script>alert`1`//";
    const { client } = await signedIn({ userAgent: `${device} x` });
    const filled = await client.get("/dashboard");
    expectShell(filled);
    const rendered = await client.get("/dashboard?rendered");
    expectRenderedPerRequest(rendered);

    // In the HTML: text, escaped as React escapes it; never a closed script.
    const inHtml = `${device.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;")}, `;
    expect(rendered.text).toContain(inHtml);
    expect(filled.text).toContain(inHtml);
    for (const page of [filled.text, rendered.text]) expect(page).not.toContain("<script>alert");

    // In the flight data, after the browser has run the scripts: the same JSON, "$$" and all.
    const flightFilled = flightOf(filled.text);
    const flightRendered = flightOf(rendered.text);
    const inFlight = `"children":"${JSON.stringify(`$${device}, `).slice(1, -1)}`;
    expect(inFlight).toContain('$$\\"');
    expect(flightRendered).toContain(inFlight);
    expect(flightFilled).toContain(inFlight);
  });

  it("each structure has its shell: an admin's links, and where the session is used from now", async () => {
    const admin = await signedIn({ role: "admin" });
    const page = await admin.client.get("/dashboard");
    expectShell(page);
    expect(page.text).toContain("Open the admin panel");
    expect(page.text).toContain('href="/admin"');

    // The session renewed from another device: "Now" says where.
    const user = await app.newUser();
    const linux = app.browser({
      userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0 Safari/537.36",
    });
    expect((await linux.post("/api/auth/login", { username: user.username, password: user.password })).status).toBe(200);
    // The same browser's cookies, renewed from a Mac.
    const mac = app.browser({
      userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
    });
    for (const [name, cookie] of linux.jar) mac.jar.set(name, { ...cookie });
    expect((await mac.post("/api/auth/refresh")).status).toBe(200);
    const moved = { client: mac };
    const now = await moved.client.get("/dashboard");
    expectShell(now);
    expect(now.text).toMatch(/>Now<\/dt><dd[^>]*>Safari on Mac OS, /);
    expect(now.text).toMatch(/>From<\/dt><dd[^>]*>Chrome on Linux, /);
  });

  it("leaves the client router's request, a query and a missing or refused token to the middleware and the page", async () => {
    const { client } = await signedIn();
    // The client router's request goes to Next through the middleware (which sends it on for its cache key).
    const flight = await client.get("/dashboard", { headers: { rsc: "1" } });
    expect(scriptSources(flight.headers.get("content-security-policy") ?? "").some((s) => s.startsWith("'nonce-"))).toBe(true);
    expect(flight.text).not.toContain("Welcome,");
    expectRenderedPerRequest(await client.get("/dashboard?x=1"));

    const stranger = await app.browser().get("/dashboard");
    expect(stranger.status).toBe(307);
    expect(stranger.headers.get("location")).toMatch(/\/api\/auth\/refresh\?next=%2Fdashboard$/);

    // A token from a session that has ended: the fill route refuses it as the page would.
    const token = client.cookie("latchkey_at") ?? "";
    expect(token).not.toBe("");
    expect((await client.post("/api/auth/logout")).status).toBe(204);
    client.setCookie("latchkey_at", token);
    const ended = await client.get("/dashboard");
    expect(ended.status).toBe(307);
    expect(ended.headers.get("location")).toBe("/api/auth/refresh?next=%2Fdashboard");
    expect(ended.headers.get("cache-control")).toBe("no-store");
    expect(ended.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it("neither the fill route nor a shell answers at its own address", async () => {
    const { client } = await signedIn();
    for (const path of [
      "/prerendered/fill/dashboard",
      "/prerendered/light/shell/dashboard/user-no-email-same",
      "/prerendered/%66ill/dashboard",
    ]) {
      const res = await client.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).not.toContain("Welcome,");
    }
  });
});
