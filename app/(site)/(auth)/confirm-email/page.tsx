import type { Metadata } from "next";
import { EmailLinkConfirmation } from "@/components/auth/email-link-confirmation";
import { firstParam } from "@/lib/client/safe-next";
import { getViewer } from "@/lib/dal";

export const metadata: Metadata = { title: "Use your new email address", robots: { index: false, follow: false }, referrer: "no-referrer" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// Renders a button only: the token is spent by the POST it submits, never by opening the link.
export default async function ConfirmEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const token = firstParam((await searchParams).token)?.trim() || null;
  const signedIn = (await getViewer()) !== null;
  return <EmailLinkConfirmation kind="confirm" token={token} signedIn={signedIn} />;
}
