import { requirePrincipal } from "@/lib/auth/authenticate";
import { endSession } from "@/lib/account/sessions";
import { getDb } from "@/lib/db/client";
import { noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

export const DELETE = route(async ({ req, params, address, userAgent }) => {
  const me = await requirePrincipal(req.headers, req.cookies);
  await endSession(getDb(), me.user.id, params.id ?? "", { address, userAgent });
  return noContent();
});
