import { optionalPrincipal } from "@/lib/auth/authenticate";
import { refreshCookie } from "@/lib/edge/cookies";
import { clearSessionCookies } from "@/lib/http/auth-response";
import { readJson } from "@/lib/http/body";
import { noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { logout } from "@/lib/use-cases/auth/logout";
import { LogoutBodySchema } from "@/lib/validation/api-bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const body = await readJson(req, LogoutBodySchema, { optional: true });
  const principal = await optionalPrincipal(deps, req);
  await logout(deps, {
    session: principal ? { sessionId: principal.sessionId, userId: principal.user.id } : undefined,
    refreshToken: body.refresh_token ?? req.cookies.get(refreshCookie().name)?.value,
    everywhere: body.everywhere === true,
    meta,
  });
  const res = noContent();
  clearSessionCookies(res);
  return res;
});
