import { requirePrincipal } from "@/lib/auth/authenticate";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { regenerateRecoveryCodes } from "@/lib/use-cases/account/regenerate-recovery-codes";

export const POST = route(async ({ req, deps, meta }) => {
  const me = await requirePrincipal(deps, req);
  const { recoveryCodes } = await regenerateRecoveryCodes(deps, { userId: me.user.id, sessionId: me.sessionId, meta });
  return json({ recovery_codes: recoveryCodes });
});
