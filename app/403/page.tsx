import type { Metadata } from "next";
import { forbidden } from "next/navigation";

// The Edge middleware rewrites a non-admin's /admin navigation here. Next drops the status a
// middleware rewrite asks for (the page answered 200), so the page calls forbidden() itself:
// app/forbidden.tsx renders the same view with a real 403.
// Rendered per request: a prerendered page would be served with a year-long s-maxage, letting a
// shared cache keep it for /admin.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Forbidden", robots: { index: false } };

export default function ForbiddenPage(): never {
  forbidden();
}
