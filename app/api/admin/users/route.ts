import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { readJson } from "@/lib/http/body";
import { readQuery } from "@/lib/http/query";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { createUser } from "@/lib/use-cases/admin/create-user";
import { listUsers } from "@/lib/use-cases/admin/list-users";
import { AdminCreateUserBodySchema } from "@/lib/validation/admin";
import { ListUsersQuerySchema } from "@/lib/validation/queries";

export const GET = route(async ({ req, deps }) => {
  await requireAdminPrincipal(deps, req);
  return json(await listUsers(deps, readQuery(req, ListUsersQuerySchema)));
});

// 201 {user}, plus setup_url when no invitation could be mailed (SPEC "Admin console").
export const POST = route(async ({ req, deps, meta }) => {
  const admin = await requireAdminPrincipal(deps, req);
  const body = await readJson(req, AdminCreateUserBodySchema);
  const { user, setupUrl } = await createUser(deps, { ...body, actor: { actorId: admin.user.id, ...meta } });
  return json(setupUrl === null ? { user } : { user, setup_url: setupUrl }, 201);
});
