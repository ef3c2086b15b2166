import type { Metadata } from "next";
import { NotFoundBoundaryView } from "@/components/pages/status-boundaries";
import { getHeaderViewer } from "@/lib/dal";

export const metadata: Metadata = { title: "Page not found" };

export default async function NotFound() {
  return <NotFoundBoundaryView viewer={await getHeaderViewer()} />;
}
