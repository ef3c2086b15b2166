import { requirePrincipal } from "@/lib/auth/authenticate";
import { json, noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { disableTotp } from "@/lib/use-cases/account/disable-totp";
import { enrolTotp } from "@/lib/use-cases/account/enrol-totp";

export const POST = route(async ({ req, deps, meta }) => {
  const me = await requirePrincipal(deps, req);
  const { secret, otpauthUri } = await enrolTotp(deps, { userId: me.user.id, sessionId: me.sessionId, meta });
  return json({ secret, otpauth_uri: otpauthUri });
});

export const DELETE = route(async ({ req, deps, meta }) => {
  const me = await requirePrincipal(deps, req);
  await disableTotp(deps, { userId: me.user.id, sessionId: me.sessionId, meta });
  return noContent();
});
