import type { Metadata } from "next";
import { ResetPassword } from "@/components/auth/reset-password-form";
import { firstParam } from "@/lib/client/safe-next";
import { config } from "@/lib/config";

export const metadata: Metadata = { title: "Choose a new password", robots: { index: false, follow: false }, referrer: "strict-origin" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// Renders a form only: the token is spent by the POST it submits, never by opening the link.
export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const token = firstParam((await searchParams).token)?.trim() || null;
  return <ResetPassword token={token} minPasswordLength={config().PASSWORD_MIN_LENGTH} />;
}
