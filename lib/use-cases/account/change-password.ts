// Changes the password after checking the current one, and ends every other session.
import { voidAccountTokens } from "@/lib/auth/account-tokens";
import { revokeSessions } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import { assertPasswordAllowed } from "../auth/create-account";
import type { RequestMeta } from "../meta";

export type ChangePasswordInput = { userId: string; sessionId: string; currentPassword: string; newPassword: string; meta: RequestMeta };

export async function changePassword(deps: Deps, input: ChangePasswordInput): Promise<void> {
  const { db, hasher } = deps;
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { username: true, email: true, passwordHash: true } });
  if (!user || !(await hasher.verify(input.currentPassword, user.passwordHash))) {
    const message = "The current password is incorrect.";
    throw new AppError("invalid_credentials", { message, fields: { currentPassword: [message] } });
  }
  assertPasswordAllowed(deps, input.newPassword, user, "newPassword");
  if (await hasher.verify(input.newPassword, user.passwordHash)) {
    throw new AppError("validation_failed", { fields: { newPassword: ["The new password must differ from the current one."] } });
  }
  const passwordHash = await hasher.hash(input.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: input.userId },
      data: { passwordHash, passwordChangedAt: deps.clock.now() },
      select: { id: true },
    });
    await revokeSessions({ db: tx, clock: deps.clock }, { userId: input.userId, exceptSessionId: input.sessionId }, "password_changed");
    // SPEC: a password change voids every outstanding reset link.
    await voidAccountTokens({ db: tx, clock: deps.clock }, input.userId, ["password_reset"]);
  });
  await deps.audit.record({ type: "password_changed", userId: input.userId, actorId: input.userId, ...input.meta });
}
