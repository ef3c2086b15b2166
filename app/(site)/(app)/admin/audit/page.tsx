import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { AuditLog } from "@/components/admin/audit-log";
import { SessionKeeper } from "@/components/auth/session-keeper";
import { PageHeader } from "@/components/ui/page-header";
import { AUDIT_TYPES } from "@/lib/auth/audit";
import { requireAdmin } from "@/lib/dal";
import { listPath, type SearchParams } from "../list-path";

export const metadata: Metadata = { title: "Admin · Audit log" };

export default async function AdminAuditPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireAdmin(listPath("/admin/audit", await searchParams));
  return (
    <>
      <SessionKeeper accessExpiresAt={viewer.accessExpiresAt} />
      <PageHeader title="Admin" description="Sign-ins, failures, and every administrative change, newest first." />
      <AdminNav current="audit" />
      {/* Filters and page come from the URL (useSearchParams): a reload or a shared link shows the same events. */}
      <AuditLog types={[...AUDIT_TYPES].sort()} />
    </>
  );
}
