// Turns issued tokens into the SPEC's login/refresh answer: the JSON body, and for browsers the
// cookies. Script clients ("token_delivery":"body") get the refresh token in the body instead.
import { NextResponse } from "next/server";
import { type IssuedTokens, userDto } from "@/lib/auth/issue";
import type { SecondFactors } from "@/lib/auth/second-factors";
import { ENDED_MAX_AGE, endedCookie, type SessionEndedCode } from "@/lib/auth/session-ended";
import { edgeConfig } from "@/lib/edge/config";
import { accessCookie, clearCookie, deviceCookie, refreshCookie, returnCookie, setCookie } from "@/lib/edge/cookies";
import { AppError } from "@/lib/errors";
import { json } from "./respond";
import { toErrorResponse } from "./route";

const DEVICE_MAX_AGE = 365 * 24 * 3600;

export function tokenResponse(
  tokens: IssuedTokens & { factors?: SecondFactors },
  opts: { delivery: "cookie" | "body"; device?: string; status?: number },
): NextResponse {
  const body: Record<string, unknown> = {
    access_token: tokens.accessToken,
    token_type: "Bearer",
    expires_in: tokens.expiresIn,
    user: userDto(tokens.user, tokens.factors),
  };
  if (opts.delivery === "body") {
    body.refresh_token = tokens.refreshToken;
    body.refresh_expires_in = Math.max(0, Math.floor((tokens.refreshExpiresAt.getTime() - Date.now()) / 1000));
  }
  const res = json(body, opts.status ?? 200);
  if (opts.delivery === "cookie") setSessionCookies(res, tokens);
  if (opts.device) setCookie(res.cookies, deviceCookie(), opts.device, DEVICE_MAX_AGE);
  return res;
}

export function setSessionCookies(res: NextResponse, tokens: IssuedTokens): void {
  setCookie(res.cookies, accessCookie(), tokens.accessToken, tokens.expiresIn);
  setCookie(res.cookies, refreshCookie(), tokens.refreshToken, (tokens.refreshExpiresAt.getTime() - Date.now()) / 1000);
  // The "why your session ended" cookie is left to expire (a minute, path /login): the sign-in
  // page redirects anyone signed in, so a new session never sees it, and a sign-in answers with
  // exactly the session's cookies.
}

/** The navigation's way out when the session is over: /login, saying why when we know. */
export function sessionOverRedirect(next: string, ended: SessionEndedCode | null): NextResponse {
  const query = new URLSearchParams({ next });
  if (ended) query.set("ended", ended);
  const res = seeOther(`/login?${query}`);
  clearSessionCookies(res);
  return res;
}

export function clearSessionCookies(res: NextResponse): void {
  clearCookie(res.cookies, accessCookie());
  clearCookie(res.cookies, refreshCookie());
  // An impersonation's way back to the admin's session ends with any sign-out.
  clearCookie(res.cookies, returnCookie());
}

/** A 303 for page navigations through the refresh endpoint, never cached. */
export function seeOther(path: string): NextResponse {
  const res = NextResponse.redirect(new URL(path, edgeConfig().appUrl), 303);
  res.headers.set("cache-control", "no-store");
  return res;
}

/**
 * A failed refresh. Only a definite "this session is over" (401) clears the cookies, and only
 * for a browser: a 503 while the database is away must not sign anyone out.
 */
export function refreshFailed(e: unknown, opts: { browser: boolean; ended?: SessionEndedCode | null }): Response {
  const res = toErrorResponse(e);
  if (opts.browser && isSessionOver(e)) {
    clearSessionCookies(res as NextResponse);
    if (opts.ended) setCookie((res as NextResponse).cookies, endedCookie(), opts.ended, ENDED_MAX_AGE);
  }
  return res;
}

export function isSessionOver(e: unknown): boolean {
  return e instanceof AppError && e.status === 401;
}
