import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { UsersPanel } from "@/components/admin/users-panel";
import { SessionKeeper } from "@/components/auth/session-keeper";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/dal";
import { listPath, type SearchParams } from "./list-path";

export const metadata: Metadata = { title: "Admin · Users" };

export default async function AdminUsersPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireAdmin(listPath("/admin", await searchParams));
  return (
    <>
      <SessionKeeper accessExpiresAt={viewer.accessExpiresAt} />
      <PageHeader title="Admin" description="Find accounts, invite people, and manage access. Every change is recorded in the audit log." />
      <AdminNav current="users" />
      {/* The search, filters and page come from the URL (useSearchParams), so a reload or a shared link shows the same list. */}
      <UsersPanel viewerId={viewer.user.id} />
    </>
  );
}
