import type { ReactNode } from "react";
import { AppHeader } from "@/components/ui/app-header";
import { ImpersonationBanner } from "@/components/ui/impersonation-banner";
import { getViewer } from "@/lib/dal";

// Chrome only. Layouts do not re-run on client navigation, so they must never be the access
// check: every page below calls requireUser/requireAdmin itself. The viewer here only decides
// what the top bar shows, and whether the impersonation banner is up.
export default async function AppLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  return (
    <div className="flex min-h-dvh flex-col">
      {viewer?.impersonator ? (
        <ImpersonationBanner
          user={{ id: viewer.user.id, username: viewer.user.username }}
          impersonator={{ username: viewer.impersonator.username }}
          expiresAt={viewer.impersonator.expiresAt}
        />
      ) : null}
      <AppHeader viewer={viewer ? { username: viewer.user.username, isAdmin: viewer.user.role === "admin" } : null} />
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6 sm:py-10">
        {children}
      </main>
    </div>
  );
}
