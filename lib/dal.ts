// The data access layer for server components (Next.js data-security guide): every protected
// page calls requireUser/requireAdmin itself; the token is verified again and the session is
// checked (the database, or the session cache every revocation empties: docs/decisions/0021-auth-caches.md),
// so a revoked session is refused even while its token is unexpired.
import "server-only";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { hasSecondFactor, impersonatorOf, principalFromToken } from "@/lib/auth/authenticate";
import type { SessionUser } from "@/lib/auth/session-store";
import { isDbUnavailable } from "@/lib/db/errors";
import { recordDbOutage, recordDbRecovered } from "@/lib/db/outage";
import { deps } from "@/lib/deps";
import { accessCookie } from "@/lib/edge/cookies";
import { type CurrentSessionDto, describeCurrentSession } from "@/lib/use-cases/account/current-session";

export type Role = "user" | "admin";
export type CurrentUser = SessionUser;
/** `impersonator`: the admin acting as this user right now (docs/decisions/0015-impersonation.md). */
export type Viewer = {
  user: CurrentUser;
  sessionId: string;
  accessExpiresAt: number;
  impersonator: { id: string; username: string; expiresAt: string } | null;
};

export const getViewer = cache(async (): Promise<Viewer | null> => {
  const token = (await cookies()).get(accessCookie().name)?.value;
  if (!token) return null;
  let principal: Awaited<ReturnType<typeof principalFromToken>>;
  try {
    principal = await principalFromToken(deps(), token, "cookie");
    recordDbRecovered();
  } catch (e) {
    // Fail closed (the render throws, no data, no sign-out), and let server.ts answer 503.
    if (isDbUnavailable(e)) recordDbOutage();
    throw e;
  }
  if (!principal) return null;
  const { user, sessionId, claims } = principal;
  return { user, sessionId, accessExpiresAt: claims.exp * 1000, impersonator: impersonatorOf(principal) };
});

/** The viewer, or a redirect through the refresh endpoint (which sends to /login when the session is over). */
export async function requireUser(path: string): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/api/auth/refresh?next=${encodeURIComponent(path)}`);
  return viewer;
}

export async function requireAdmin(path: string): Promise<Viewer> {
  const viewer = await requireUser(path);
  if (viewer.user.role !== "admin" || viewer.impersonator) forbidden();
  // REQUIRE_ADMIN_MFA: an admin without a second factor is sent to set one up first.
  if (deps().config.REQUIRE_ADMIN_MFA && !(await hasSecondFactor(deps(), viewer.user.id)))
    redirect("/account?enrol=second-factor#security");
  return viewer;
}

/** When and from where the viewer's session started (the dashboard's "Your session"). */
export const getCurrentSession = cache(
  async (viewer: Viewer): Promise<CurrentSessionDto | null> =>
    describeCurrentSession(deps(), { userId: viewer.user.id, sessionId: viewer.sessionId }),
);

/**
 * Who is looking, for the chrome of a page anyone may reach (403, 404). Never throws: a status
 * page must render while the database is away, and then shows the signed-out header.
 */
export async function getHeaderViewer(): Promise<{ username: string; isAdmin: boolean } | null> {
  const viewer = await getViewer().catch(() => null);
  return viewer ? { username: viewer.user.username, isAdmin: viewer.user.role === "admin" && !viewer.impersonator } : null;
}
