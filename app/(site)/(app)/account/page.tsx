import type { Metadata } from "next";
import { AccountSecurity } from "@/components/account/account-security";
import { EmailCard } from "@/components/account/email-card";
import { PasskeysCard } from "@/components/account/passkeys-card";
import { ProfileCard } from "@/components/account/profile-card";
import { SecurityCard } from "@/components/account/security-card";
import { SessionKeeper } from "@/components/auth/session-keeper";
import { PageHeader } from "@/components/ui/page-header";
import { config } from "@/lib/config";
import { requireUser } from "@/lib/dal";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const viewer = await requireUser("/account");
  const cfg = config();
  return (
    <>
      <SessionKeeper accessExpiresAt={viewer.accessExpiresAt} />
      <PageHeader title="Account" description="Your profile, your email address, your password, and where you are signed in." />
      <div className="space-y-6">
        <ProfileCard user={viewer.user} />
        <EmailCard
          username={viewer.user.username}
          email={viewer.user.email}
          emailVerified={viewer.user.emailVerified}
          mailEnabled={cfg.EMAIL_DELIVERY === "on"}
        />
        <SecurityCard />
        <PasskeysCard />
        <AccountSecurity username={viewer.user.username} minPasswordLength={cfg.PASSWORD_MIN_LENGTH} />
      </div>
    </>
  );
}
