import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { OutboxList } from "@/components/dev/outbox-list";
import { Brand } from "@/components/ui/brand";
import { PageHeader } from "@/components/ui/page-header";
import { config } from "@/lib/config";
import { outboxMessages } from "@/lib/mail/mailer";

export const metadata: Metadata = { title: "Development outbox", robots: { index: false, follow: false }, referrer: "no-referrer" };

// Read on every request: the outbox fills while the server runs, and production must answer 404.
export const dynamic = "force-dynamic";

export default function OutboxPage() {
  const cfg = config();
  if (cfg.isProduction) notFound();
  const mails = outboxMessages();
  const elsewhere =
    cfg.EMAIL_DELIVERY === "off"
      ? "EMAIL_DELIVERY=off: no mail is sent or kept."
      : cfg.SMTP_URL
        ? "SMTP_URL is set: mail goes to that server."
        : null;
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex h-14 max-w-4xl items-center px-4 sm:px-6">
          <Brand />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-4xl flex-1 px-4 py-8 sm:px-6 sm:py-10">
        <PageHeader
          title="Development outbox"
          description="Mail the app sent while running in development without SMTP_URL, newest first. Kept in memory (the last 100); reload to see new mail."
        />
        {mails.length > 0 ? (
          <OutboxList mails={mails} />
        ) : (
          <p className="rounded-lg border border-dashed border-zinc-300 bg-white px-5 py-8 text-center text-sm text-zinc-600">
            {elsewhere ?? "No mail yet. Sign up with an email address or ask for a password reset, then reload this page."}
          </p>
        )}
      </main>
    </div>
  );
}
