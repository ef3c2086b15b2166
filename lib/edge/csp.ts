// Content-Security-Policy for pages, with a per-request nonce that Next.js puts on its own
// scripts ('strict-dynamic' lets those load their chunks). Edge-safe.
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
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
