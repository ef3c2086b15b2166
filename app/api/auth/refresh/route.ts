import { NextResponse } from "next/server";
import { refreshCookie } from "@/lib/auth/cookies";
import { refresh } from "@/lib/auth/refresh";
import { AppError } from "@/lib/errors";
import { clearSessionCookies, setSessionCookies, tokenResponse } from "@/lib/http/auth-response";
import { readJson } from "@/lib/http/body";
import { safeNextPath } from "@/lib/http/next-path";
import { route, toErrorResponse } from "@/lib/http/route";
import { appUrl } from "@/lib/auth/token-config";
import { RefreshBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, address, userAgent }) => {
  const body = await readJson(req, RefreshBodySchema, { optional: true });
  const fromBody = body.refresh_token !== undefined;
  const presented = fromBody ? body.refresh_token : req.cookies.get(refreshCookie().name)?.value;
  try {
    const tokens = await refresh(presented, { address, userAgent });
    return tokenResponse(tokens, { delivery: fromBody ? "body" : "cookie" });
  } catch (e) {
    const res = toErrorResponse(e);
    // Only a definite "this session is over" clears cookies; a 503 must not sign anyone out.
    if (!fromBody && e instanceof AppError && e.status === 401) clearSessionCookies(res as NextResponse);
    return res;
  }
});

/** Page navigations the middleware sends here when the access token is missing or expired. */
export const GET = route(async ({ req, address, userAgent }) => {
  const next = safeNextPath(req.nextUrl.searchParams.get("next")) ?? "/dashboard";
  const base = appUrl();
  try {
    const tokens = await refresh(req.cookies.get(refreshCookie().name)?.value, { address, userAgent });
    const res = NextResponse.redirect(new URL(next, base), 303);
    res.headers.set("cache-control", "no-store");
    setSessionCookies(res, tokens);
    return res;
  } catch (e) {
    if (!(e instanceof AppError) || e.status !== 401) return toErrorResponse(e);
    const res = NextResponse.redirect(new URL(`/login?next=${encodeURIComponent(next)}`, base), 303);
    res.headers.set("cache-control", "no-store");
    clearSessionCookies(res);
    return res;
  }
});
