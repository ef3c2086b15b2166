import type { Metadata } from "next";
import { ForbiddenBoundaryView } from "@/components/pages/status-boundaries";
import { getHeaderViewer } from "@/lib/dal";

export const metadata: Metadata = { title: "Forbidden" };

export default async function Forbidden() {
  return <ForbiddenBoundaryView viewer={await getHeaderViewer()} />;
}
