import type { Metadata } from "next";
import { ForbiddenView } from "@/components/auth/forbidden-view";

// The Edge middleware rewrites a non-admin's /admin navigation here (with status 403).
export const metadata: Metadata = { title: "Forbidden", robots: { index: false } };

export default function ForbiddenPage() {
  return <ForbiddenView />;
}
