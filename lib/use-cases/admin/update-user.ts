// Changes an account's role and/or disabled flag. Never leaves the last active admin behind;
// disabling ends every session of the account in the same transaction.
import { requireFreshAuthentication } from "@/lib/auth/freshness";
import { asRole, revokeSessions } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { AdminActor } from "../meta";
import { noSuchUser, otherActiveAdmins, withAdminLock } from "./admin-lock";

export type UpdateUserInput = { userId: string; patch: { role?: "user" | "admin"; disabled?: boolean }; actor: AdminActor };

export async function updateUser(deps: Deps, input: UpdateUserInput) {
  const { userId, patch, actor } = input;
  // SPEC "Step-up": a role change needs the admin's fresh authentication (the command line has no session).
  if (patch.role !== undefined && actor.sessionId) await requireFreshAuthentication(deps, actor.sessionId);
  const { before, after } = await withAdminLock(deps, actor.actorId, async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: { role: true, disabled: true } });
    if (!before) throw noSuchUser();
    const losesAdmin = before.role === "admin" && !before.disabled && (patch.role === "user" || patch.disabled === true);
    if (losesAdmin && (await otherActiveAdmins(tx, userId)) === 0) throw new AppError("last_admin");
    const after = await tx.user.update({
      where: { id: userId },
      data: { ...(patch.role ? { role: patch.role } : {}), ...(patch.disabled === undefined ? {} : { disabled: patch.disabled }) },
      select: { id: true, username: true, email: true, role: true, disabled: true, createdAt: true },
    });
    if (patch.disabled === true && !before.disabled) await revokeSessions({ db: tx, clock: deps.clock }, { userId }, "account_disabled");
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
