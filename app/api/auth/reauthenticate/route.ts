import { requirePrincipal } from "@/lib/auth/authenticate";
import { readJson } from "@/lib/http/body";
import { noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { reauthenticate } from "@/lib/use-cases/auth/reauthenticate";
import { ReauthenticateBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const me = await requirePrincipal(deps, req);
  const { password } = await readJson(req, ReauthenticateBodySchema);
  await reauthenticate(deps, { userId: me.user.id, sessionId: me.sessionId, password, meta });
  return noContent();
});
