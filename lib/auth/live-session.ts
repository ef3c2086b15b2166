// The per-request session check behind every Node-side page and API (SPEC "Revocation"): is this
// session still live, and whose is it? Answered from the session-validity cache when it can be
// (docs/decisions/0021-auth-caches.md), otherwise by one indexed read joined to the user.
import type { Deps } from "@/lib/deps";
import type { CachedSession } from "./session-cache";
import { activeImpersonator, type SessionUser, toSessionUser, USER_SELECT } from "./session-store";

export type LiveSessionDeps = Pick<Deps, "db" | "clock" | "config" | "sessionCache">;

/** A live session's user, and the admin acting as them when it is an impersonation. */
export type LiveSession = { user: SessionUser; impersonator: { id: string; username: string } | null; expiresAt: Date };

/** Past its absolute end or its idle limit at `now` (the limits are re-checked on every cache hit). */
function ended(deps: Pick<Deps, "config">, session: { expiresAt: Date; lastUsedAt: Date }, now: number): boolean {
  return session.expiresAt.getTime() <= now || session.lastUsedAt.getTime() + deps.config.REFRESH_IDLE_TTL <= now;
}

export async function loadLiveSession(deps: LiveSessionDeps, sessionId: string, userId: string): Promise<SessionUser | null> {
  return (await loadLiveSessionOf(deps, sessionId, userId))?.user ?? null;
}

/** loadLiveSession with what the session row says besides (one query all the same). */
export async function loadLiveSessionOf(deps: LiveSessionDeps, sessionId: string, userId: string): Promise<LiveSession | null> {
  const now = deps.clock.now().getTime();
  const cached = deps.sessionCache.get(sessionId);
  // A hit that no longer fits (another user, past a limit) is not a refusal: the database decides.
  if (cached && cached.userId === userId && !ended(deps, cached, now)) {
    return { user: cached.user, impersonator: cached.impersonator, expiresAt: cached.expiresAt };
  }
  const ticket = deps.sessionCache.begin();
  const session = await deps.db.session.findUnique({
    where: { id: sessionId },
    select: { userId: true, revokedAt: true, expiresAt: true, lastUsedAt: true, impersonatorId: true, user: { select: USER_SELECT } },
  });
  if (!session || session.userId !== userId || session.revokedAt || session.user.disabled) return null;
  if (ended(deps, session, now)) return null;
  const impersonator = session.impersonatorId ? await activeImpersonator(deps.db, session.impersonatorId) : null;
  if (session.impersonatorId && !impersonator) return null;
  const live: CachedSession = {
    userId,
    user: toSessionUser(session.user),
    impersonator,
    expiresAt: session.expiresAt,
    lastUsedAt: session.lastUsedAt,
  };
  deps.sessionCache.put(ticket, sessionId, live);
  return { user: live.user, impersonator, expiresAt: live.expiresAt };
}
