import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { requirePrincipal } from "@/lib/auth/authenticate";
import { readJson } from "@/lib/http/body";
import { noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { reauthenticate } from "@/lib/use-cases/auth/reauthenticate";
import { ReauthenticateBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const me = await requirePrincipal(deps, req);
  const body = await readJson(req, ReauthenticateBodySchema);
  const proof = body.response
    ? { passkey: { challengeId: body.challengeId, response: body.response as AuthenticationResponseJSON } }
    : { password: body.password ?? "", code: body.code };
  await reauthenticate(deps, { userId: me.user.id, sessionId: me.sessionId, meta, ...proof });
  return noContent();
});
