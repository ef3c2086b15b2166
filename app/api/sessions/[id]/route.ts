import { requirePrincipal } from "@/lib/auth/authenticate";
import { noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { endSession } from "@/lib/use-cases/account/end-session";

export const DELETE = route(async ({ req, params, deps, meta }) => {
  const me = await requirePrincipal(deps, req);
  await endSession(deps, { userId: me.user.id, sessionId: params.id ?? "", meta });
  return noContent();
});
