import { requirePrincipal } from "@/lib/auth/authenticate";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { passkeyRegistrationOptions } from "@/lib/use-cases/account/passkey-registration-options";

export const POST = route(async ({ req, deps }) => {
  const me = await requirePrincipal(deps, req);
  const { challengeId, options } = await passkeyRegistrationOptions(deps, { userId: me.user.id });
  return json({ challengeId, options });
});
