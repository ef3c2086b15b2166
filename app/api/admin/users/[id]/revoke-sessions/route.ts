import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { revokeUserSessions } from "@/lib/use-cases/admin/revoke-user-sessions";

export const POST = route(async ({ req, params, deps, meta }) => {
  const admin = await requireAdminPrincipal(deps, req);
  await revokeUserSessions(deps, { userId: params.id ?? "", actor: { actorId: admin.user.id, ...meta } });
  return noContent();
});
