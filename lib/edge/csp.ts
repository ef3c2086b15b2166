// Content-Security-Policy for pages. A page rendered per request gets a per-request nonce that
// Next.js puts on its own scripts ('strict-dynamic' lets those load their chunks); a prerendered
// page gets the hashes of its inline scripts, fixed when it was built, and scripts from this
// origin. Neither allows 'unsafe-inline' for scripts. Edge-safe.
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return pagePolicy(`'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`, dev);
}

/** For a prerendered page: its inline scripts by hash ("sha256-…"), its chunks from 'self'. */
export function prerenderedPagePolicy(hashes: readonly string[]): string {
  return pagePolicy(["'self'", ...hashes.map((hash) => `'${hash}'`)].join(" "), false);
}

export function isUnder(pathname: string, prefixes: string[]): boolean {
  return prefixes.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

// strict-origin where a form posts without JavaScript: Chromium sends a form post's Origin as
// "null" under no-referrer, and Next refuses the server action; strict-origin sends the origin
// alone, never the path or the token. The others post only from scripts and send nothing.
const REFERRER_POLICIES: [string[], string][] = [
  [["/forgot-password", "/reset-password"], "strict-origin"],
  [["/verify-email", "/confirm-email"], "no-referrer"],
];

/** Replaces server.ts's strict-origin-when-cross-origin for these pages, as the CSP replaces its API policy. */
export function referrerPolicyFor(pathname: string): string | undefined {
  return REFERRER_POLICIES.find(([paths]) => isUnder(pathname, paths))?.[1];
}

function pagePolicy(scriptSources: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src ${scriptSources}`,
    // Next and React set inline style attributes; no style can run script.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For JSON and anything else that is not a page: nothing may load or frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
