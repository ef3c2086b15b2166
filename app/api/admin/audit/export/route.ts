import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { readQuery } from "@/lib/http/query";
import { route } from "@/lib/http/route";
import { exportAuditEvents } from "@/lib/use-cases/admin/export-audit";
import { AuditExportQuerySchema } from "@/lib/validation/queries";

export const GET = route(async ({ req, deps, meta }) => {
  const admin = await requireAdminPrincipal(deps, req);
  const { format, ...filters } = readQuery(req, AuditExportQuerySchema);
  const file = await exportAuditEvents(deps, { filters, format, actor: { actorId: admin.user.id, ...meta } });
  return new Response(file.body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
      pragma: "no-cache",
    },
  });
});
