import Link from "next/link";
import { ProfileCard } from "@/components/account/profile-card";
import { LocalTime } from "@/components/admin/local-time";
import { AccessTokenStatus } from "@/components/auth/access-token-status";
import { SessionKeeper } from "@/components/auth/session-keeper";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import type { DashboardData, SessionFacts as SessionFactsData } from "@/lib/pages/dashboard-shell";

/**
 * /dashboard's content, for both of its renders: per request (app/(site)/(app)/dashboard) and the
 * shells a plain visit is filled from (app/prerendered/[theme]/shell/dashboard, ADR 0023), which
 * give it slots for values. Whatever it shows of the person must come from `data`.
 */
export function DashboardView({ data }: { data: DashboardData }) {
  const { user, session, accessExpiresAt } = data;
  return (
    <>
      <SessionKeeper accessExpiresAt={accessExpiresAt} />
      <PageHeader title={`Welcome, ${user.username}`} description="You are signed in. Here is how your session works." />

      <div className="grid gap-6 md:grid-cols-2">
        <ProfileCard user={user} title="Your account" />

        <Card title="Your session" description="Kept alive quietly while this page is open.">
          {/* One pair of columns for both lists, so their labels and values line up. */}
          <div className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 [&>dl]:col-span-2 [&>dl]:grid-cols-subgrid">
            {session ? <SessionFacts session={session} /> : null}
            <AccessTokenStatus accessExpiresAt={accessExpiresAt} />
          </div>
        </Card>

        <Card title="How sign-in works here" className="md:col-span-2">
          <ol className="list-decimal space-y-2 pl-5 text-sm text-zinc-700">
            <li>
              Signing in gives this browser a short-lived <strong>access token</strong> (a signed JWT that expires within minutes) and a{" "}
              <strong>refresh token</strong>, both in cookies that page scripts cannot read.
            </li>
            <li>
              Shortly before the access token expires, the page renews it in the background. Each renewal replaces the refresh token too, so
              an old copy is worthless, and a replayed one ends the session.
            </li>
            <li>Signing out, changing your password, or an administrator&apos;s action ends sessions within a second, on every device.</li>
          </ol>
        </Card>
      </div>

      <nav aria-label="Shortcuts" className="mt-8 flex flex-wrap gap-3">
        <Link href="/account" className={buttonClasses("secondary")}>
          Manage your account and sessions
        </Link>
        {user.role === "admin" ? (
          <Link href="/admin" className={buttonClasses("secondary")}>
            Open the admin panel
          </Link>
        ) : null}
      </nav>
    </>
  );
}

/** Where this session began, so a sign-in the person doesn't recognise stands out. */
function SessionFacts({ session }: { session: SessionFactsData }) {
  return (
    <dl className="mb-3 grid gap-y-1 border-b border-zinc-100 pb-3 text-sm">
      <dt className="text-zinc-600">Signed in</dt>
      <dd className="font-medium text-zinc-900">
        <LocalTime iso={session.startedAt} />
      </dd>
      <dt className="text-zinc-600">From</dt>
      <dd className="font-medium break-words text-zinc-900">{session.from}</dd>
      {session.now !== null ? (
        <>
          <dt className="text-zinc-600">Now</dt>
          <dd className="font-medium break-words text-zinc-900">{session.now}</dd>
        </>
      ) : null}
    </dl>
  );
}
