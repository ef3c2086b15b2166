import type { Metadata } from "next";
import { ForbiddenView } from "@/components/auth/forbidden-view";
import { getHeaderViewer } from "@/lib/dal";

export const metadata: Metadata = { title: "Forbidden" };

export default async function Forbidden() {
  return <ForbiddenView viewer={await getHeaderViewer()} />;
}
