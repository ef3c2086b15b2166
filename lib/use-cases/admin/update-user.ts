// Changes an account's role and/or disabled flag. An admin cannot disable or demote themself, and
// the last active admin is never left behind; disabling ends every session of the account in the
// same transaction.
import { requireFreshAuthentication } from "@/lib/auth/freshness";
import { asRole, revokeSessions } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { AdminActor } from "../meta";
import { noSuchUser, otherActiveAdmins, type Tx, withAdminLock } from "./admin-lock";

export type UpdateUserInput = { userId: string; patch: { role?: "user" | "admin"; disabled?: boolean }; actor: AdminActor };

/**
 * The actor's authority, read under the admin lock after the target's own rules. In that order,
 * of two admins removing each other at once the second hears 409 last_admin (what its request
 * would have done) rather than 403 because the first one's write just demoted it; either way it
 * cannot complete. The command line (null) has no account to check.
 */
export async function assertStillAdmin(tx: Tx, actorId: string | null): Promise<void> {
  if (actorId === null) return;
  const actor = await tx.user.findUnique({ where: { id: actorId }, select: { role: true, disabled: true } });
  if (actor?.role !== "admin" || actor.disabled) throw new AppError("forbidden");
}

export async function updateUser(deps: Deps, input: UpdateUserInput) {
  const { userId, patch, actor } = input;
  // Locking oneself out is refused outright, whoever else is an admin: another admin must do it.
  if (userId === actor.actorId && (patch.role === "user" || patch.disabled === true)) throw new AppError("cannot_change_self");
  // SPEC "Step-up": a role change needs the admin's fresh authentication (the command line has no session).
  if (patch.role !== undefined && actor.sessionId) await requireFreshAuthentication(deps, actor.sessionId);
  // The lock is taken without its own actor check: assertStillAdmin runs it after the last-admin rule.
  const { before, after } = await withAdminLock(deps, null, async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: { role: true, disabled: true } });
    if (!before) throw noSuchUser();
    const losesAdmin = before.role === "admin" && !before.disabled && (patch.role === "user" || patch.disabled === true);
    if (losesAdmin && (await otherActiveAdmins(tx, userId)) === 0) throw new AppError("last_admin");
    await assertStillAdmin(tx, actor.actorId);
    const after = await tx.user.update({
      where: { id: userId },
      data: { ...(patch.role ? { role: patch.role } : {}), ...(patch.disabled === undefined ? {} : { disabled: patch.disabled }) },
      select: { id: true, username: true, email: true, role: true, disabled: true, createdAt: true },
    });
    // The role is read from the session check (cached): a demotion also ends the admin's impersonations.
    await deps.sessionCache.invalidate(tx, { userId });
    if (patch.disabled === true && !before.disabled)
      await revokeSessions({ db: tx, clock: deps.clock, sessionCache: deps.sessionCache }, { userId }, "account_disabled");
    return { before, after };
  });
  const event = { userId, actorId: actor.actorId, address: actor.address, userAgent: actor.userAgent };
  if (patch.role && patch.role !== before.role) {
    await deps.audit.record({ type: "role_changed", ...event, detail: { from: before.role, to: patch.role } });
  }
  if (patch.disabled !== undefined && patch.disabled !== before.disabled) {
    await deps.audit.record({ type: patch.disabled ? "user_disabled" : "user_enabled", ...event });
  }
  return { ...after, role: asRole(after.role), createdAt: after.createdAt.toISOString() };
}
