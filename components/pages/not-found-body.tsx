import type { HeaderViewer } from "@/components/ui/app-header";
import { NextStepLinks, StatusPage } from "@/components/ui/status-page";

/** The 404 page for a given viewer: the prerendered copy (app/prerendered/[theme]/missing) shows it signed out. */
export function NotFoundBody({ viewer }: { viewer: HeaderViewer }) {
  return (
    <StatusPage eyebrow="404 · Not found" title="Page not found" viewer={viewer} actions={<NextStepLinks signedIn={viewer !== null} />}>
      <p>If you typed the address, check it is correct. If you followed a link, the page may have moved or been removed.</p>
    </StatusPage>
  );
}
