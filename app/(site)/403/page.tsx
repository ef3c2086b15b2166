import type { Metadata } from "next";
import { ForbiddenView } from "@/components/auth/forbidden-view";
import { getHeaderViewer } from "@/lib/dal";

// The Edge middleware rewrites a non-admin's /admin navigation here. Rendered per request, with
// the viewer's header (a prerendered page went out as 200 with a year-long s-maxage, which a
// shared cache could then serve for /admin; the signed-out visit gets server.ts's prerendered
// copy). Next keeps neither the rewrite's status nor one a page could set, and forbidden() would
// send the HTML as an error document whose body is empty without JavaScript, so the middleware
// names the status and server.ts applies it (lib/edge/page-status.ts).
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Forbidden", robots: { index: false } };

export default async function ForbiddenPage() {
  return <ForbiddenView viewer={await getHeaderViewer()} />;
}
