import { changePassword } from "@/lib/account/change-password";
import { requirePrincipal } from "@/lib/auth/authenticate";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { readJson } from "@/lib/http/body";
import { noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { changePasswordBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, address, userAgent }) => {
  const me = await requirePrincipal(req.headers, req.cookies);
  const body = await readJson(req, changePasswordBodySchema(env().PASSWORD_MIN_LENGTH));
  await changePassword(getDb(), { userId: me.user.id, sessionId: me.sessionId, ...body, address, userAgent });
  return noContent();
});
