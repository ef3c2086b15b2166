import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { revokeUserSession } from "@/lib/use-cases/admin/revoke-user-session";

export const DELETE = route(async ({ req, params, deps, meta }) => {
  const admin = await requireAdminPrincipal(deps, req);
  await revokeUserSession(deps, {
    userId: params.id ?? "",
    sessionId: params.sessionId ?? "",
    actor: { actorId: admin.user.id, ...meta },
  });
  return noContent();
});
