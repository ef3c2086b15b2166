import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { readQuery } from "@/lib/http/query";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { listAuditEvents } from "@/lib/use-cases/admin/list-audit-events";
import { AuditQuerySchema } from "@/lib/validation/queries";

export const GET = route(async ({ req, deps }) => {
  await requireAdminPrincipal(deps, req);
  return json(await listAuditEvents(deps, readQuery(req, AuditQuerySchema)));
});
