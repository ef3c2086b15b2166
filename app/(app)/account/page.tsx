import type { Metadata } from "next";
import { AccountSecurity } from "@/components/account/account-security";
import { ProfileCard } from "@/components/account/profile-card";
import { SessionKeeper } from "@/components/auth/session-keeper";
import { PageHeader } from "@/components/ui/page-header";
import { config } from "@/lib/config";
import { requireUser } from "@/lib/dal";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const viewer = await requireUser("/account");
  return (
    <>
      <SessionKeeper accessExpiresAt={viewer.accessExpiresAt} />
      <PageHeader title="Account" description="Your profile, your password, and where you are signed in." />
      <div className="space-y-6">
        <ProfileCard user={viewer.user} />
        <AccountSecurity username={viewer.user.username} minPasswordLength={config().PASSWORD_MIN_LENGTH} />
      </div>
    </>
  );
}
