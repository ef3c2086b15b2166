import { revokeUserSessions } from "@/lib/admin/users";
import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { getDb } from "@/lib/db/client";
import { noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

export const POST = route(async ({ req, params, address, userAgent }) => {
  const admin = await requireAdminPrincipal(req.headers, req.cookies);
  await revokeUserSessions(getDb(), params.id ?? "", { actorId: admin.user.id, address, userAgent });
  return noContent();
});
