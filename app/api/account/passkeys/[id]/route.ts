import { requirePrincipal } from "@/lib/auth/authenticate";
import { readJson } from "@/lib/http/body";
import { json, noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { removePasskey } from "@/lib/use-cases/account/remove-passkey";
import { renamePasskey } from "@/lib/use-cases/account/rename-passkey";
import { RenamePasskeyBodySchema } from "@/lib/validation/bodies";

export const PATCH = route(async ({ req, params, deps, meta }) => {
  const me = await requirePrincipal(deps, req);
  const { name } = await readJson(req, RenamePasskeyBodySchema);
  const passkey = await renamePasskey(deps, { userId: me.user.id, sessionId: me.sessionId, passkeyId: params.id ?? "", name, meta });
  return json({ passkey });
});

export const DELETE = route(async ({ req, params, deps, meta }) => {
  const me = await requirePrincipal(deps, req);
  await removePasskey(deps, { userId: me.user.id, sessionId: me.sessionId, passkeyId: params.id ?? "", meta });
  return noContent();
});
