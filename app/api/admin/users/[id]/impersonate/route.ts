import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { userDto } from "@/lib/auth/issue";
import { returnCookie, setCookie } from "@/lib/edge/cookies";
import { setSessionCookies } from "@/lib/http/auth-response";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { impersonate } from "@/lib/use-cases/admin/impersonate";

// A browser's cookies now belong to the impersonation session, and the admin's own session waits
// in the return cookie; a script (Bearer) gets the impersonation's tokens in the body instead.
export const POST = route(async ({ req, params, deps, meta, bearer }) => {
  const admin = await requireAdminPrincipal(deps, req);
  const actor = { ...meta, actorId: admin.user.id, sessionId: admin.sessionId };
  const result = await impersonate(deps, { userId: params.id ?? "", actor, keepReturn: !bearer });
  const secondsLeft = (at: Date) => Math.max(0, Math.floor((at.getTime() - Date.now()) / 1000));
  const res = json({
    access_token: result.accessToken,
    token_type: "Bearer",
    expires_in: result.expiresIn,
    user: userDto(result.user),
    impersonator: result.impersonator,
    expires_at: result.endsAt.toISOString(),
    ...(bearer ? { refresh_token: result.refreshToken, refresh_expires_in: secondsLeft(result.refreshExpiresAt) } : {}),
  });
  if (bearer) return res;
  setSessionCookies(res, result);
  if (result.returnToken) setCookie(res.cookies, returnCookie(), result.returnToken, secondsLeft(result.endsAt));
  return res;
});
