import type { Metadata } from "next";
import { NextStepLinks, StatusPage } from "@/components/ui/status-page";
import { getHeaderViewer } from "@/lib/dal";

export const metadata: Metadata = { title: "Page not found" };

export default async function NotFound() {
  const viewer = await getHeaderViewer();
  return (
    <StatusPage eyebrow="404 · Not found" title="Page not found" viewer={viewer} actions={<NextStepLinks signedIn={viewer !== null} />}>
      <p>If you typed the address, check it is correct. If you followed a link, the page may have moved or been removed.</p>
    </StatusPage>
  );
}
