import type { Metadata } from "next";
import { forbidden } from "next/navigation";

// The Edge middleware rewrites a non-admin's /admin navigation here. Next.js does not carry a
// rewrite's status over to the page, so the page raises forbidden() itself: a 403 status with
// app/forbidden.tsx, rendered per request (a prerendered page went out as 200 with a year-long
// s-maxage, which a shared cache could then serve for /admin).
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Forbidden", robots: { index: false } };

export default function ForbiddenPage(): never {
  forbidden();
}
