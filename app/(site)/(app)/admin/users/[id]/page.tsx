import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { UserDetail } from "@/components/admin/user-detail";
import { SessionKeeper } from "@/components/auth/session-keeper";
import { requireAdmin } from "@/lib/dal";
import { deps } from "@/lib/deps";
import { isAppError } from "@/lib/errors";
import { getUser } from "@/lib/use-cases/admin/get-user";

// Not the username: metadata renders apart from the page's access check.
export const metadata: Metadata = { title: "Admin · User" };

type Params = Promise<{ id: string }>;

export default async function AdminUserPage({ params }: { params: Params }) {
  const { id } = await params;
  const viewer = await requireAdmin(`/admin/users/${encodeURIComponent(id)}`);
  let detail: Awaited<ReturnType<typeof getUser>>;
  try {
    detail = await getUser(deps(), { userId: id });
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  }
  return (
    <>
      <SessionKeeper accessExpiresAt={viewer.accessExpiresAt} />
      <UserDetail initial={detail} viewerId={viewer.user.id} />
    </>
  );
}
