import { requirePrincipal } from "@/lib/auth/authenticate";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { addPasskey } from "@/lib/use-cases/account/add-passkey";
import { listPasskeys } from "@/lib/use-cases/account/list-passkeys";
import { AddPasskeyBodySchema } from "@/lib/validation/bodies";

export const GET = route(async ({ req, deps }) => {
  const me = await requirePrincipal(deps, req);
  return json({ passkeys: await listPasskeys(deps, { userId: me.user.id }) });
});

export const POST = route(async ({ req, deps, meta }) => {
  const me = await requirePrincipal(deps, req);
  const body = await readJson(req, AddPasskeyBodySchema);
  const passkey = await addPasskey(deps, {
    userId: me.user.id,
    sessionId: me.sessionId,
    challengeId: body.challengeId,
    response: body.response,
    name: body.name,
    meta,
  });
  return json({ passkey }, 201);
});
