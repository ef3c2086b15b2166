import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { readJson } from "@/lib/http/body";
import { json, noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { deleteUser } from "@/lib/use-cases/admin/delete-user";
import { getUser } from "@/lib/use-cases/admin/get-user";
import { updateUser } from "@/lib/use-cases/admin/update-user";
import { AdminUserPatchSchema } from "@/lib/validation/bodies";

export const GET = route(async ({ req, params, deps }) => {
  await requireAdminPrincipal(deps, req);
  return json(await getUser(deps, { userId: params.id ?? "" }));
});

export const PATCH = route(async ({ req, params, deps, meta }) => {
  const admin = await requireAdminPrincipal(deps, req);
  const patch = await readJson(req, AdminUserPatchSchema);
  const user = await updateUser(deps, {
    userId: params.id ?? "",
    patch,
    actor: { actorId: admin.user.id, sessionId: admin.sessionId, ...meta },
  });
  return json({ user });
});

export const DELETE = route(async ({ req, params, deps, meta }) => {
  const admin = await requireAdminPrincipal(deps, req);
  await deleteUser(deps, { userId: params.id ?? "", actor: { actorId: admin.user.id, sessionId: admin.sessionId, ...meta } });
  return noContent();
});
