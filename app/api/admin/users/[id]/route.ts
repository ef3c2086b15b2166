import { deleteUser, updateUser } from "@/lib/admin/users";
import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { json, noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { AdminUserPatchSchema } from "@/lib/validation/bodies";

export const PATCH = route(async ({ req, params, address, userAgent }) => {
  const admin = await requireAdminPrincipal(req.headers, req.cookies);
  const patch = await readJson(req, AdminUserPatchSchema);
  const user = await updateUser(getDb(), params.id ?? "", patch, { actorId: admin.user.id, address, userAgent });
  return json({ user });
});

export const DELETE = route(async ({ req, params, address, userAgent }) => {
  const admin = await requireAdminPrincipal(req.headers, req.cookies);
  await deleteUser(getDb(), params.id ?? "", { actorId: admin.user.id, address, userAgent });
  return noContent();
});
