// A plain visit to /dashboard, sent here by server.ts (lib/http/shells.ts): the person's dashboard
// filled into its prerendered shell (docs/decisions/0023-dashboard-shell.md), with the same checks
// as the page rendered per request: the token verified and the session read (lib/dal.ts).
import { cookies } from "next/headers";
import { getCurrentSession, getViewer } from "@/lib/dal";
import { dashboardData, dashboardFillValues, dashboardVariant } from "@/lib/pages/dashboard-shell";
import { filledShellResponse } from "@/lib/pages/shells";
import { parseTheme, THEME_COOKIE } from "@/lib/theme/theme";

export async function GET(): Promise<Response> {
  const viewer = await getViewer();
  // As requireUser: through the refresh endpoint, which sends to /login when the session is over.
  // An impersonation's token names its admin, and server.ts renders those per request (with the
  // banner); a session that says otherwise gets a fresh token first.
  if (!viewer || viewer.impersonator) {
    return new Response(null, { status: 307, headers: { location: "/api/auth/refresh?next=%2Fdashboard", "cache-control": "no-store" } });
  }
  const data = dashboardData(viewer, await getCurrentSession(viewer));
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return filledShellResponse(theme, "dashboard", dashboardVariant(data), dashboardFillValues(data));
}
