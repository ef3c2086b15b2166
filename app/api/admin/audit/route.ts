import { listAuditEvents } from "@/lib/admin/audit-log";
import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { getDb } from "@/lib/db/client";
import { readQuery } from "@/lib/http/query";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { AuditQuerySchema } from "@/lib/validation/queries";

export const GET = route(async ({ req }) => {
  await requireAdminPrincipal(req.headers, req.cookies);
  return json(await listAuditEvents(getDb(), readQuery(req, AuditQuerySchema)));
});
