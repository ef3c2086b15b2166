import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { readQuery } from "@/lib/http/query";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { listUsers } from "@/lib/use-cases/admin/list-users";
import { ListUsersQuerySchema } from "@/lib/validation/queries";

export const GET = route(async ({ req, deps }) => {
  await requireAdminPrincipal(deps, req);
  return json(await listUsers(deps, readQuery(req, ListUsersQuerySchema)));
});
