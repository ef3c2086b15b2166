import { refreshCookie } from "@/lib/edge/cookies";
import { isSessionOver, refreshFailed, seeOther, sessionOverRedirect, setSessionCookies, tokenResponse } from "@/lib/http/auth-response";
import { readJson } from "@/lib/http/body";
import { safeNextPath } from "@/lib/http/next-path";
import { route, toErrorResponse } from "@/lib/http/route";
import { endedSessionCode, refresh } from "@/lib/use-cases/auth/refresh";
import { RefreshBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const body = await readJson(req, RefreshBodySchema, { optional: true });
  const fromBody = body.refresh_token !== undefined;
  const refreshToken = fromBody ? body.refresh_token : req.cookies.get(refreshCookie().name)?.value;
  try {
    return tokenResponse(await refresh(deps, { refreshToken, meta }), { delivery: fromBody ? "body" : "cookie" });
  } catch (e) {
    // Only a browser's own cookie learns why its session ended (for the page it opens next).
    const ended = !fromBody && isSessionOver(e) ? await endedSessionCode(deps, refreshToken).catch(() => null) : null;
    return refreshFailed(e, { browser: !fromBody, ended });
  }
});

/** Page navigations the middleware sends here when the access token is missing or expired. */
export const GET = route(async ({ req, deps, meta }) => {
  const next = safeNextPath(req.nextUrl.searchParams.get("next")) ?? "/dashboard";
  const refreshToken = req.cookies.get(refreshCookie().name)?.value;
  try {
    const tokens = await refresh(deps, { refreshToken, meta });
    const res = seeOther(next);
    setSessionCookies(res, tokens);
    return res;
  } catch (e) {
    if (!isSessionOver(e)) return toErrorResponse(e);
    return sessionOverRedirect(next, await endedSessionCode(deps, refreshToken).catch(() => null));
  }
});
