import type { ReactNode } from "react";
import { AppChrome } from "@/components/pages/app-chrome";
import { getViewer } from "@/lib/dal";

// Chrome only. Layouts do not re-run on client navigation, so they must never be the access
// check: every page below calls requireUser/requireAdmin itself. The viewer here only decides
// what the top bar shows, and whether the impersonation banner is up.
export default async function AppLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  return (
    <AppChrome
      header={viewer ? { username: viewer.user.username, isAdmin: viewer.user.role === "admin" } : null}
      impersonation={viewer?.impersonator ? { user: viewer.user, impersonator: viewer.impersonator } : null}
    >
      {children}
    </AppChrome>
  );
}
