import type { NextResponse } from "next/server";
import { requirePrincipal } from "@/lib/auth/authenticate";
import { clearCookie, returnCookie } from "@/lib/edge/cookies";
import { AppError } from "@/lib/errors";
import { isSessionOver, refreshFailed, tokenResponse } from "@/lib/http/auth-response";
import { readJson } from "@/lib/http/body";
import { noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { stopImpersonation } from "@/lib/use-cases/auth/stop-impersonation";
import { RefreshBodySchema } from "@/lib/validation/bodies";

// Ends the impersonation and answers like a login with the admin's own session: a browser's from
// the return cookie, a script's from {"refresh_token"} (without one, a script just gets 204). When
// the admin's session has ended meanwhile, the impersonation still ends and the answer is a 401.
export const POST = route(async ({ req, deps, meta, bearer }) => {
  const me = await requirePrincipal(deps, req);
  const body = bearer ? await readJson(req, RefreshBodySchema, { optional: true }) : {};
  const returnToken = bearer ? body.refresh_token : req.cookies.get(returnCookie().name)?.value;
  try {
    const admin = await stopImpersonation(deps, { sessionId: me.sessionId, returnToken, meta });
    if (!admin && bearer) return noContent();
    if (!admin) throw new AppError("invalid_refresh_token");
    const res = tokenResponse(admin, { delivery: bearer ? "body" : "cookie" });
    if (!bearer) clearCookie(res.cookies, returnCookie());
    return res;
  } catch (e) {
    const res = refreshFailed(e, { browser: !bearer }) as NextResponse;
    if (!bearer && isSessionOver(e)) clearCookie(res.cookies, returnCookie());
    return res;
  }
});
