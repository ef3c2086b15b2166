import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { resetSecondFactors } from "@/lib/use-cases/admin/reset-second-factors";

export const DELETE = route(async ({ req, params, deps, meta }) => {
  const admin = await requireAdminPrincipal(deps, req);
  await resetSecondFactors(deps, { userId: params.id ?? "", actor: { actorId: admin.user.id, sessionId: admin.sessionId, ...meta } });
  return noContent();
});
