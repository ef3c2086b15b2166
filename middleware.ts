// Edge middleware: the optimistic fast path, never the only guard. It verifies the access cookie
// with jose (no database, no Node built-ins), sends missing or expired tokens through the
// refresh endpoint, shows non-admins the 403 page on /admin, and gives every page a fresh CSP
// nonce. Pages and route handlers check again through the DAL. A plain visit to a public page
// never gets here: server.ts serves it from its prerendered copy (lib/http/prerendered.ts). The pages that mailed links open
// carry a token in their address, so no Referer they send may carry it (SPEC "Mail").
import { type NextRequest, NextResponse } from "next/server";
import { edgeConfig } from "@/lib/edge/config";
import { accessCookie } from "@/lib/edge/cookies";
import { contentSecurityPolicy, isUnder, referrerPolicyFor } from "@/lib/edge/csp";
import { PAGE_STATUS_HEADER, PAGE_STATUSES } from "@/lib/edge/page-status";
import { PROTECTED_PAGES } from "@/lib/edge/protected";
import { type AccessClaims, verifyAccessToken } from "@/lib/edge/tokens";

/** `page`: the page that answers (the rewrite's target, when the middleware rewrites). */
function withCsp(req: NextRequest, respond: (headers: Headers) => NextResponse, page = req.nextUrl.pathname): NextResponse {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const csp = contentSecurityPolicy(nonce, !edgeConfig().production);
  const headers = new Headers(req.headers);
  headers.set("content-security-policy", csp);
  headers.set("x-nonce", nonce);
  const res = respond(headers);
  res.headers.set("content-security-policy", csp);
  // Replaces server.ts's strict-origin-when-cross-origin for these pages, as the CSP replaces its API policy.
  const policy = referrerPolicyFor(req.nextUrl.pathname);
  if (policy) res.headers.set("referrer-policy", policy);
  // Next drops a rewrite's status and lets no page set one: server.ts applies this (lib/edge/page-status.ts).
  const status = PAGE_STATUSES[page];
  if (status) res.headers.set(PAGE_STATUS_HEADER, String(status));
  return res;
}

export async function middleware(req: NextRequest): Promise<NextResponse> {
  const { pathname, search } = req.nextUrl;
  if (!isUnder(pathname, PROTECTED_PAGES)) return withCsp(req, (headers) => NextResponse.next({ request: { headers } }));

  const token = req.cookies.get(accessCookie().name)?.value;
  let claims: AccessClaims | null = null;
  if (token) claims = await verifyAccessToken(token).catch(() => null);
  if (!claims) {
    const target = new URL("/api/auth/refresh", req.nextUrl.origin);
    target.searchParams.set("next", `${pathname}${search}`);
    const res = NextResponse.redirect(target, 307);
    res.headers.set("cache-control", "no-store");
    return res;
  }
  if (isUnder(pathname, ["/admin"]) && claims.role !== "admin") {
    return withCsp(
      req,
      (headers) => NextResponse.rewrite(new URL("/403", req.nextUrl.origin), { status: 403, request: { headers } }),
      "/403",
    );
  }
  return withCsp(req, (headers) => {
    const res = NextResponse.next({ request: { headers } });
    res.headers.set("cache-control", "private, no-store");
    return res;
  });
}

export const config = {
  // Pages only: API routes verify for themselves, static files need nothing, and the prerendered
  // copies of public pages are reached only through server.ts, which gives them their CSP.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|\\.well-known/|prerendered/).*)"],
};
