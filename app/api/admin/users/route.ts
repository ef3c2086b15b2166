import { listUsers } from "@/lib/admin/users";
import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { getDb } from "@/lib/db/client";
import { readQuery } from "@/lib/http/query";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { ListUsersQuerySchema } from "@/lib/validation/queries";

export const GET = route(async ({ req }) => {
  await requireAdminPrincipal(req.headers, req.cookies);
  const query = readQuery(req, ListUsersQuerySchema);
  return json(await listUsers(getDb(), query));
});
