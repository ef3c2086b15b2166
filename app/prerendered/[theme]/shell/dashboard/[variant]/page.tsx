import type { Metadata } from "next";
import { AppChrome } from "@/components/pages/app-chrome";
import { DashboardView } from "@/components/pages/dashboard-view";
import { PrerenderedPath } from "@/components/ui/theme-toggle";
import { DASHBOARD_VARIANTS, dashboardShellData } from "@/lib/pages/dashboard-shell";

// The dashboard's shells: the page with slots for the person's values, one per structure and
// theme, built once. Never served as they are: app/prerendered/fill/dashboard fills one per
// request (docs/decisions/0023-dashboard-shell.md).

export const dynamicParams = false;

export function generateStaticParams(): { variant: string }[] {
  return DASHBOARD_VARIANTS.map((variant) => ({ variant }));
}

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardShell({ params }: { params: Promise<{ variant: string }> }) {
  const data = dashboardShellData((await params).variant);
  return (
    <PrerenderedPath path="/dashboard">
      <AppChrome header={{ username: data.user.username, isAdmin: data.user.role === "admin" }}>
        <DashboardView data={data} />
      </AppChrome>
    </PrerenderedPath>
  );
}
