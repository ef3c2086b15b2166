import { requirePrincipal } from "@/lib/auth/authenticate";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { confirmTotp } from "@/lib/use-cases/account/confirm-totp";
import { TotpCodeBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const me = await requirePrincipal(deps, req);
  const { code } = await readJson(req, TotpCodeBodySchema);
  const { recoveryCodes } = await confirmTotp(deps, { userId: me.user.id, code, meta });
  return json({ recovery_codes: recoveryCodes });
});
