// Ends every session of an account; felt on the account's next request (SPEC "Revocation").
import { revokeSessions } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import type { AdminActor } from "../meta";
import { noSuchUser, withAdminLock } from "./admin-lock";

export type RevokeUserSessionsInput = { userId: string; actor: AdminActor };

export async function revokeUserSessions(deps: Deps, input: RevokeUserSessionsInput): Promise<number> {
  const { userId, actor } = input;
  // Under the admin lock like every admin write, so an admin demoted a moment ago cannot act.
  const count = await withAdminLock(deps, actor.actorId, async (tx) => {
    const exists = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!exists) throw noSuchUser();
    return revokeSessions({ db: tx, clock: deps.clock, sessionCache: deps.sessionCache }, { userId }, "revoked_by_admin");
  });
  const event = { userId, actorId: actor.actorId, address: actor.address, userAgent: actor.userAgent };
  await deps.audit.record({ type: "sessions_revoked_by_admin", ...event, detail: { count } });
  return count;
}
