import type { ReactNode } from "react";
import { AppHeader, type HeaderViewer } from "@/components/ui/app-header";
import { ImpersonationBanner } from "@/components/ui/impersonation-banner";
import type { Viewer } from "@/lib/dal";

/** The signed-in area's frame: the impersonation banner when one is running, the top bar, and <main>. */
export function AppChrome({
  header,
  impersonation = null,
  children,
}: {
  header: HeaderViewer;
  impersonation?: { user: Viewer["user"]; impersonator: NonNullable<Viewer["impersonator"]> } | null;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-dvh flex-col">
      {impersonation ? (
        <ImpersonationBanner
          user={{ id: impersonation.user.id, username: impersonation.user.username }}
          impersonator={{ username: impersonation.impersonator.username }}
          expiresAt={impersonation.impersonator.expiresAt}
        />
      ) : null}
      <AppHeader viewer={header} />
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6 sm:py-10">
        {children}
      </main>
    </div>
  );
}
