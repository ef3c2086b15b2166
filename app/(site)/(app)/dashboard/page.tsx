import type { Metadata } from "next";
import { DashboardView } from "@/components/pages/dashboard-view";
import { getCurrentSession, requireUser } from "@/lib/dal";
import { dashboardData } from "@/lib/pages/dashboard-shell";

export const metadata: Metadata = { title: "Dashboard" };

/**
 * Rendered per request for the client router's navigations, a query, or an impersonation. A plain
 * visit is filled from a prerendered shell instead (app/prerendered/fill/dashboard, ADR 0023).
 */
export default async function DashboardPage() {
  const viewer = await requireUser("/dashboard");
  return <DashboardView data={dashboardData(viewer, await getCurrentSession(viewer))} />;
}
