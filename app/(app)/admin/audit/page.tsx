import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { AuditLog } from "@/components/admin/audit-log";
import { SessionKeeper } from "@/components/auth/session-keeper";
import { PageHeader } from "@/components/ui/page-header";
import { firstParam } from "@/lib/client/safe-next";
import { requireAdmin } from "@/lib/dal";

export const metadata: Metadata = { title: "Admin · Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminAuditPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireAdmin("/admin/audit");
  const params = await searchParams;
  const initial = { type: firstParam(params.type) ?? "", user: firstParam(params.user) ?? "" };
  return (
    <>
      <SessionKeeper accessExpiresAt={viewer.accessExpiresAt} />
      <PageHeader title="Admin" description="Sign-ins, failures, and every administrative change, newest first." />
      <AdminNav current="audit" />
      <AuditLog initial={initial} />
    </>
  );
}
