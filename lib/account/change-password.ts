import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/auth/audit";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { assertPasswordAllowed } from "@/lib/auth/register";

/** Changes the password after checking the current one, and ends every other session. */
export async function changePassword(
  db: Db,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string; address: string; userAgent: string | null },
): Promise<void> {
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { username: true, email: true, passwordHash: true } });
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError("invalid_credentials", { message: "The current password is incorrect.", fields: { currentPassword: ["The current password is incorrect."] } });
  }
  assertPasswordAllowed(input.newPassword, user, "newPassword");
  if (await verifyPassword(input.newPassword, user.passwordHash)) {
    throw new AppError("validation_failed", { fields: { newPassword: ["The new password must differ from the current one."] } });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: input.userId }, data: { passwordHash, passwordChangedAt: new Date() }, select: { id: true } });
    await tx.session.updateMany({
      where: { userId: input.userId, id: { not: input.sessionId }, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: "password_changed" },
    });
  });
  await audit(db, { type: "password_changed", userId: input.userId, actorId: input.userId, address: input.address, userAgent: input.userAgent });
}
