import { requireOwnPrincipal } from "@/lib/auth/authenticate";
import { readJson } from "@/lib/http/body";
import { noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { changePassword } from "@/lib/use-cases/account/change-password";
import { UnvalidatedBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const me = await requireOwnPrincipal(deps, req);
  // The use case checks every field together, the current password included.
  const body = await readJson(req, UnvalidatedBodySchema);
  await changePassword(deps, { userId: me.user.id, sessionId: me.sessionId, body, meta });
  return noContent();
});
