import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { UsersPanel } from "@/components/admin/users-panel";
import { SessionKeeper } from "@/components/auth/session-keeper";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/lib/dal";

export const metadata: Metadata = { title: "Admin · Users" };

export default async function AdminUsersPage() {
  const viewer = await requireAdmin("/admin");
  return (
    <>
      <SessionKeeper accessExpiresAt={viewer.accessExpiresAt} />
      <PageHeader title="Admin" description="Manage accounts: roles, access and sessions. Every change is recorded in the audit log." />
      <AdminNav current="users" />
      <UsersPanel viewerId={viewer.user.id} />
    </>
  );
}
