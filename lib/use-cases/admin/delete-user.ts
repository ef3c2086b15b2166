// Deletes an account (its sessions go with it). Never the acting admin, never the last admin.
import { requireFreshAuthentication } from "@/lib/auth/freshness";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { AdminActor } from "../meta";
import { noSuchUser, otherActiveAdmins, withAdminLock } from "./admin-lock";
import { assertStillAdmin } from "./update-user";

export type DeleteUserInput = { userId: string; actor: AdminActor };

export async function deleteUser(deps: Deps, input: DeleteUserInput): Promise<void> {
  const { userId, actor } = input;
  if (userId === actor.actorId) throw new AppError("cannot_delete_self");
  // SPEC "Step-up": deleting an account needs the admin's fresh authentication.
  if (actor.sessionId) await requireFreshAuthentication(deps, actor.sessionId);
  // As in updateUser: the last-admin rule first, then the actor's authority, both under the lock.
  const username = await withAdminLock(deps, null, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { role: true, disabled: true, username: true } });
    if (!user) throw noSuchUser();
    if (user.role === "admin" && !user.disabled && (await otherActiveAdmins(tx, userId)) === 0) throw new AppError("last_admin");
    await assertStillAdmin(tx, actor.actorId);
    await tx.user.delete({ where: { id: userId }, select: { id: true } });
    await deps.sessionCache.invalidate(tx, { userId });
    return user.username;
  });
  const event = { actorId: actor.actorId, subject: username, address: actor.address, userAgent: actor.userAgent };
  await deps.audit.record({ type: "user_deleted", ...event, detail: { userId } });
}
