// The prerendered copies of the public pages (app/prerendered, docs/decisions/0020-prerendered-pages.md),
// served by server.ts before Next.js sees the request: a plain visit to /login becomes a request
// for /prerendered/<theme>/login, which the middleware's matcher leaves out, and its response gets
// a CSP with the hashes of the copy's inline scripts. Those are fixed when the page is built:
// scripts/prerendered-csp.ts writes them to <distDir>/prerendered-csp.json after `next build`.
// Node only.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
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
    manifest[route] = inlineScriptHashes(readFileSync(file, "utf8"));
  }
  return manifest;
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
 * Call before Next.js handles the request. Sends a plain visit to a public page to its copy
 * (rewriting req.url) and sets the copy's headers and status when they go out; sends a request for a copy's
 * own address to a 404. Leaves everything else alone.
 */
export function routePrerendered(
  req: IncomingMessage,
  res: ServerResponse,
  manifest: PrerenderedCspManifest,
  settings: PrerenderedSettings,
): void {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://n");
  } catch {
    return;
  }
  let decoded = url.pathname;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    // Next answers a malformed path with 400 itself.
  }
  if (isUnder(url.pathname, [PRERENDERED_PREFIX]) || isUnder(decoded, [PRERENDERED_PREFIX])) {
    req.url = NOT_ADDRESSABLE;
    return;
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
  if (!copy) return;
  req.url = `${copy}${url.search}`;
  const csp = prerenderedCsp(manifest, copy);
  const status = prerenderedStatus(copy);
  const referrerPolicy = referrerPolicyFor(url.pathname);
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
}
