// The prerendered copies of the public pages (app/prerendered, docs/decisions/0020-prerendered-pages.md),
// served by server.ts before Next.js sees the request: a plain visit to /login is answered with
// the HTML of /prerendered/<theme>/login (the client router's flight-data request for it goes to
// that route in Next, which the middleware's matcher leaves out), with a CSP holding the hashes of
// the copy's inline scripts. Those are fixed when the page is built:
// scripts/prerendered-csp.ts writes them to <distDir>/prerendered-csp.json after `next build`.
// Node only.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { isUnder, prerenderedPagePolicy, referrerPolicyFor } from "@/lib/edge/csp";
import { PRERENDERED_PREFIX, type PrerenderedSettings, prerenderedPath, prerenderedStatus } from "@/lib/edge/prerendered";

export const MANIFEST_FILE = "prerendered-csp.json";

/** Copy path ("/prerendered/dark/login") → its inline scripts' hashes ("sha256-…"). */
export type PrerenderedCspManifest = Record<string, string[]>;

/** Where a request for a copy's own address is sent: no page has it, so it is a 404. */
export const NOT_ADDRESSABLE = "/_prerendered-copies-are-not-addressable";

const INLINE_SCRIPT = /<script\b(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** The CSP source of every inline script in a page, in order, without repeats. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const [, body = ""] of html.matchAll(INLINE_SCRIPT)) {
    if (body.length > 0) hashes.add(`sha256-${createHash("sha256").update(body, "utf8").digest("base64")}`);
  }
  return [...hashes];
}

function htmlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

export function buildPrerenderedCspManifest(distDir: string): PrerenderedCspManifest {
  const appDir = path.join(distDir, "server", "app");
  const manifest: PrerenderedCspManifest = {};
  for (const file of htmlFiles(path.join(appDir, PRERENDERED_PREFIX))) {
    const route = `/${path.relative(appDir, file).slice(0, -".html".length).split(path.sep).join("/")}`;
    // The shells are never sent as built: each fill takes its own hashes (lib/pages/fill.ts).
    if (isShell(route)) continue;
    manifest[route] = inlineScriptHashes(readFileSync(file, "utf8"));
  }
  return manifest;
}

/** A dashboard shell's route (/prerendered/<theme>/shell/…), filled per request and never sent as it is. */
function isShell(route: string): boolean {
  return route.split("/")[3] === "shell";
}

export function loadPrerenderedCspManifest(distDir: string): PrerenderedCspManifest {
  const file = path.join(distDir, MANIFEST_FILE);
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, "utf8")) as PrerenderedCspManifest;
}

/**
 * The policy for a copy. One missing from the manifest (the post-build step did not run) gets
 * scripts from this origin only: its inline scripts are blocked and the page works as it does
 * without JavaScript, never with a looser policy.
 */
export function prerenderedCsp(manifest: PrerenderedCspManifest, copy: string): string {
  return prerenderedPagePolicy(manifest[copy] ?? []);
}

/** A copy's HTML as the build wrote it, ready to send: its bytes, gzipped, and an entity tag. */
export type PrerenderedPage = { html: Buffer; gzip: Buffer; etag: string };
export type PrerenderedPages = Map<string, PrerenderedPage>;

/** The copies' HTML (<distDir>/server/app/prerendered/...html), read once at start; they never change after the build. */
export function loadPrerenderedPages(distDir: string, manifest: PrerenderedCspManifest): PrerenderedPages {
  const pages: PrerenderedPages = new Map();
  for (const copy of Object.keys(manifest)) {
    const file = path.join(distDir, "server", "app", `${copy}.html`);
    if (!existsSync(file)) continue;
    const html = readFileSync(file);
    pages.set(copy, {
      html,
      gzip: gzipSync(html, { level: 9 }),
      etag: `"${createHash("sha256").update(html).digest("base64url").slice(0, 27)}"`,
    });
  }
  return pages;
}

/** Whether an Accept-Encoding header takes gzip (a q of 0 refuses it). */
export function acceptsGzip(header: string | undefined): boolean {
  for (const part of (header ?? "").split(",")) {
    const [coding = "", ...params] = part.trim().toLowerCase().split(";");
    if (coding.trim() !== "gzip" && coding.trim() !== "*") continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}

// What Next's own answer for a copy varies on (its client router asks for the same address as
// flight data with these headers), plus what server.ts adds.
const COPY_VARY = "rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch, Accept-Encoding, Cookie";

function sendCopy(
  req: IncomingMessage,
  res: ServerResponse,
  page: PrerenderedPage,
  headers: { csp: string; status: number; referrerPolicy: string | undefined },
): void {
  res.setHeader("content-security-policy", headers.csp);
  res.setHeader("cache-control", "private, no-cache");
  res.setHeader("vary", COPY_VARY);
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.setHeader("etag", page.etag);
  if (headers.referrerPolicy) res.setHeader("referrer-policy", headers.referrerPolicy);
  if (headers.status === 200 && matchesEtag(req.headers["if-none-match"], page.etag)) {
    res.writeHead(304).end();
    return;
  }
  const gzip = acceptsGzip(req.headers["accept-encoding"]);
  const body = gzip ? page.gzip : page.html;
  if (gzip) res.setHeader("content-encoding", "gzip");
  res.setHeader("content-length", body.length);
  res.writeHead(headers.status);
  res.end(req.method === "HEAD" ? undefined : body);
}

function cookieJar(header: string | undefined): Map<string, string> {
  const jar = new Map<string, string>();
  for (const pair of (header ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0) {
      const name = pair.slice(0, at).trim();
      if (!jar.has(name)) jar.set(name, pair.slice(at + 1).trim());
    }
  }
  return jar;
}

/**
 * Call before Next.js handles the request; true when it has answered, and Next must not. A plain
 * visit to a public page is answered here from its copy's HTML in `pages`, with the copy's headers
 * and status. Next's client router asks for the same address as flight data (an `RSC` header or
 * `_rsc`): that request, or a copy missing from `pages`, is sent to the copy's route in Next
 * (rewriting req.url), and gets the copy's headers and status when they go out. A request for a
 * copy's own address is sent to a 404. Everything else is left alone.
 */
export function routePrerendered(
  req: IncomingMessage,
  res: ServerResponse,
  manifest: PrerenderedCspManifest,
  settings: PrerenderedSettings,
  pages: PrerenderedPages = new Map(),
): boolean {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://n");
  } catch {
    return false;
  }
  let decoded = url.pathname;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    // Next answers a malformed path with 400 itself.
  }
  if (isUnder(url.pathname, [PRERENDERED_PREFIX]) || isUnder(decoded, [PRERENDERED_PREFIX])) {
    req.url = NOT_ADDRESSABLE;
    return false;
  }
  const jar = cookieJar(req.headers.cookie);
  const copy = prerenderedPath(
    {
      method: req.method ?? "GET",
      nextUrl: url,
      cookies: { get: (name) => (jar.has(name) ? { value: jar.get(name) ?? "" } : undefined), has: (name) => jar.has(name) },
    },
    settings,
  );
  if (!copy) return false;
  const csp = prerenderedCsp(manifest, copy);
  const status = prerenderedStatus(copy);
  const referrerPolicy = referrerPolicyFor(url.pathname);
  const page = pages.get(copy);
  if (page && req.headers.rsc === undefined && !url.searchParams.has("_rsc")) {
    sendCopy(req, res, page, { csp, status, referrerPolicy });
    return true;
  }
  req.url = `${copy}${url.search}`;
  // Set when the headers go out, over Next's own: its s-maxage would let a shared cache hand one
  // visitor's copy to another whose cookie asks for another theme or a page rendered per request.
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((code: number, ...args: unknown[]) => {
    // Next's own redirects (an RSC request without its _rsc key) name the address it was given.
    const location = res.getHeader("location");
    if (typeof location === "string" && location.startsWith(copy))
      res.setHeader("location", `${url.pathname}${location.slice(copy.length)}`);
    res.setHeader("content-security-policy", csp);
    res.setHeader("cache-control", "private, no-cache");
    const vary = res.getHeader("vary");
    res.setHeader("vary", vary ? `${String(vary)}, Cookie` : "Cookie");
    if (referrerPolicy) res.setHeader("referrer-policy", referrerPolicy);
    // The status pages' copies are pages like any other to Next; their status is set here.
    return writeHead(code === 200 ? status : code, ...args);
  }) as ServerResponse["writeHead"];
  return false;
}
