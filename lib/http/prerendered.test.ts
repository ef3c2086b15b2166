import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessCookie } from "@/lib/edge/cookies";
import {
  acceptsGzip,
  buildPrerenderedCspManifest,
  inlineScriptHashes,
  loadPrerenderedPages,
  NOT_ADDRESSABLE,
  prerenderedCsp,
  routePrerendered,
} from "./prerendered";

const sha = (text: string) => `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;

describe("inlineScriptHashes", () => {
  it("hashes each inline script's exact text, and skips scripts loaded from a file", () => {
    const html = `<script src="/_next/static/a.js" async=""></script><script>self.__next_f.push([1,"é"])</script><script id="x">b()</script><script></script>`;
    expect(inlineScriptHashes(html)).toEqual([sha('self.__next_f.push([1,"é"])'), sha("b()")]);
  });
});

describe("the prerendered copies' CSP manifest", () => {
  let dist: string;
  beforeAll(() => {
    dist = mkdtempSync(path.join(tmpdir(), "csp-"));
    const dir = path.join(dist, "server/app/prerendered/dark/forgot-password");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "on.html"), "<html><script>one()</script></html>");
    writeFileSync(path.join(dist, "server/app/prerendered/dark/forgot-password.rsc"), "not a page");
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it("maps each copy's path to its hashes", () => {
    expect(buildPrerenderedCspManifest(dist)).toEqual({ "/prerendered/dark/forgot-password/on": [sha("one()")] });
  });

  it("allows exactly those scripts and this origin's files, never 'unsafe-inline'", () => {
    const csp = prerenderedCsp({ "/prerendered/dark/login": [sha("one()")] }, "/prerendered/dark/login");
    expect(csp).toContain(`script-src 'self' '${sha("one()")}';`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    // A copy the manifest lacks runs without its inline scripts, never with a looser policy.
    expect(prerenderedCsp({}, "/prerendered/dark/login")).toContain("script-src 'self';");
  });
});

describe("routePrerendered", () => {
  const manifest = { "/prerendered/dark/login": [sha("one()")] };
  let server: Server;
  let base: string;
  beforeAll(async () => {
    // Stands in for server.ts and Next: answers with the address it was left with.
    server = createServer((req, res) => {
      res.setHeader("content-security-policy", "default-src 'none'");
      routePrerendered(req, res, manifest, { passwordMinLength: 15, mailEnabled: false, unknownAddress: (p) => p === "/no-such-page" });
      res.setHeader("cache-control", "s-maxage=31536000");
      res.setHeader("vary", "rsc");
      if (req.url?.endsWith("?_rsc=stale")) res.setHeader("location", `${req.url.slice(0, -"?_rsc=stale".length)}?_rsc=fresh`);
      res.end(req.url);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (path: string, cookie?: string, method = "GET") => fetch(`${base}${path}`, { method, headers: cookie ? { cookie } : {} });

  it("serves a plain visit from the copy for the theme cookie, with the copy's CSP, kept by the browser alone", async () => {
    const res = await get("/login?_rsc=1", "a=b; latchkey_theme=dark");
    expect(await res.text()).toBe("/prerendered/dark/login?_rsc=1");
    expect(res.headers.get("content-security-policy")).toBe(prerenderedCsp(manifest, "/prerendered/dark/login"));
    expect(res.headers.get("cache-control")).toBe("private, no-cache");
    expect(res.headers.get("vary")).toBe("rsc, Cookie");
    const forgot = await get("/forgot-password");
    expect(await forgot.text()).toBe("/prerendered/system/forgot-password/off");
    expect(forgot.headers.get("referrer-policy")).toBe("strict-origin");
    // A redirect Next makes from the copy's address points back at the public one.
    const redirected = await get("/signup?_rsc=stale");
    expect(await redirected.text()).toBe("/prerendered/system/signup?_rsc=stale");
    expect(redirected.headers.get("location")).toBe("/signup?_rsc=fresh");
    // Not in the manifest: no inline script may run.
    expect(forgot.headers.get("content-security-policy")).toContain("script-src 'self';");
  });

  it("sends the status pages' copies with their status: 403 at /403, 404 where no page is", async () => {
    const forbidden = await get("/403", "latchkey_theme=light");
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toBe("/prerendered/light/forbidden");
    expect(forbidden.headers.get("cache-control")).toBe("private, no-cache");
    const missing = await get("/no-such-page");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("/prerendered/system/missing");
    // Signed in, the header shows who: rendered per request, with Next's status.
    const signedIn = await get("/no-such-page", `${accessCookie().name}=token`);
    expect(signedIn.status).toBe(200);
    expect(await signedIn.text()).toBe("/no-such-page");
  });

  it("leaves a request with anything of its own to the middleware and a render per request", async () => {
    for (const [path, cookie, method] of [
      ["/login?next=%2Faccount"],
      ["/login", `${accessCookie().name}=token`],
      ["/login", "latchkey_ended=password_changed"],
      ["/login", undefined, "POST"],
      ["/dashboard"],
    ] as const) {
      const res = await get(path, cookie, method);
      expect(await res.text(), `${method ?? "GET"} ${path}`).toBe(path);
      expect(res.headers.get("content-security-policy")).toBe("default-src 'none'");
      expect(res.headers.get("cache-control")).toBe("s-maxage=31536000");
    }
  });

  it("never serves a copy at its own address, however it is spelled", async () => {
    for (const path of ["/prerendered/dark/login", "/prerendered/dark/login?x=1", "/%70rerendered/dark/login"]) {
      const res = await get(path);
      expect(await res.text(), path).toBe(NOT_ADDRESSABLE);
      expect(res.headers.get("content-security-policy")).toBe("default-src 'none'");
    }
  });
});

describe("routePrerendered with the copies' HTML loaded", () => {
  const HTML = "<!DOCTYPE html><html><script>one()</script><p>sign in</p></html>";
  let dist: string;
  let server: Server;
  let base: string;
  let reachedNext: string[] = [];
  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), "copies-"));
    for (const copy of ["dark/login", "system/missing"]) {
      mkdirSync(path.dirname(path.join(dist, "server/app/prerendered", copy)), { recursive: true });
      writeFileSync(path.join(dist, `server/app/prerendered/${copy}.html`), HTML);
    }
    const manifest = buildPrerenderedCspManifest(dist);
    const pages = loadPrerenderedPages(dist, manifest);
    server = createServer((req, res) => {
      if (routePrerendered(req, res, manifest, { passwordMinLength: 15, mailEnabled: true, unknownAddress: (p) => p === "/nope" }, pages))
        return;
      reachedNext.push(req.url ?? "");
      res.end(req.url);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dist, { recursive: true, force: true });
  });

  const get = (p: string, headers: Record<string, string> = {}, method = "GET") =>
    fetch(`${base}${p}`, { method, headers: { "accept-encoding": "identity", ...headers } });

  it("answers a plain visit itself, with the copy's bytes, policy and status, and Next never sees it", async () => {
    reachedNext = [];
    const res = await get("/login", { cookie: "latchkey_theme=dark" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(HTML);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toContain(`'${sha("one()")}'`);
    expect(res.headers.get("cache-control")).toBe("private, no-cache");
    expect(res.headers.get("vary")).toContain("Cookie");
    expect(res.headers.get("content-encoding")).toBeNull();
    const missing = await get("/nope");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe(HTML);
    expect(reachedNext).toEqual([]);
  });

  it("gzips for a client that takes it, answers a matching If-None-Match with 304, and HEAD with no body", async () => {
    const zipped = await fetch(`${base}/login`, { headers: { cookie: "latchkey_theme=dark", "accept-encoding": "gzip" } });
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    expect(await zipped.text()).toBe(HTML); // fetch unzipped it
    const etag = zipped.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[\w-]{20,}"$/);
    const again = await get("/login", { cookie: "latchkey_theme=dark", "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    // A status page is sent whole: a 304 would turn its 404 into a success.
    expect((await get("/nope", { "if-none-match": etag })).status).toBe(404);
    const head = await get("/login", { cookie: "latchkey_theme=dark" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(HTML)));
  });

  it("sends the client router's flight-data requests, and copies it has no HTML for, to Next", async () => {
    reachedNext = [];
    await get("/login?_rsc=abc", { cookie: "latchkey_theme=dark" });
    await get("/login", { cookie: "latchkey_theme=dark", rsc: "1" });
    await get("/login"); // the system theme's copy was not loaded
    expect(reachedNext).toEqual(["/prerendered/dark/login?_rsc=abc", "/prerendered/dark/login", "/prerendered/system/login"]);
  });
});

describe("acceptsGzip", () => {
  it("reads codings and their q values", () => {
    expect(acceptsGzip("gzip, deflate, br")).toBe(true);
    expect(acceptsGzip("br;q=1.0, gzip;q=0.8")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("identity")).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
