// Ends one session of an account (a device the person lost, a session they do not recognise),
// felt on that session's next request (SPEC "Revocation").
import { liveSessionWhere, revokeSessions } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { AdminActor } from "../meta";
import { withAdminLock } from "./admin-lock";

export type RevokeUserSessionInput = { userId: string; sessionId: string; actor: AdminActor };

export async function revokeUserSession(deps: Deps, input: RevokeUserSessionInput): Promise<void> {
  const { userId, sessionId, actor } = input;
  await withAdminLock(deps, actor.actorId, async (tx) => {
    // Another account's session, or one already over, is "not found" here: the path names both.
    const live = await tx.session.findFirst({
      where: { id: sessionId, userId, ...liveSessionWhere(deps, deps.clock.now()) },
      select: { id: true },
    });
    if (!live) throw new AppError("not_found", { message: "No such live session for this user." });
    await revokeSessions({ db: tx, clock: deps.clock, sessionCache: deps.sessionCache }, { sessionId }, "revoked_by_admin");
  });
  const event = { userId, actorId: actor.actorId, address: actor.address, userAgent: actor.userAgent };
  await deps.audit.record({ type: "session_revoked_by_admin", ...event, detail: { sessionId } });
}
