import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { audit } from "./audit";
import { hashPassword } from "./password";
import { checkPasswordPolicy } from "./password-policy";
import { toSessionUser, type SessionUser } from "./session-store";

export type RegisterInput = { username: string; email?: string | null; password: string; role?: "user" | "admin" };

/** Refuses a password the policy does not allow, naming the field the message belongs to. */
export function assertPasswordAllowed(password: string, ctx: { username: string; email?: string | null }, field = "password"): void {
  const problems = checkPasswordPolicy(password, { ...ctx, minLength: env().PASSWORD_MIN_LENGTH });
  if (problems.length > 0) throw new AppError("weak_password", { message: problems[0], fields: { [field]: problems } });
}

/** Creates an account. Used by the API and by the `user create` CLI. */
export async function createAccount(input: RegisterInput, meta: { address?: string | null; userAgent?: string | null; actorId?: string | null } = {}): Promise<SessionUser> {
  assertPasswordAllowed(input.password, input);
  const db = getDb();
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.user.create({
      data: { username: input.username, email: input.email ?? null, passwordHash, role: input.role ?? "user" },
      select: { id: true, username: true, email: true, role: true, createdAt: true },
    });
    await audit(db, { type: "register", userId: user.id, actorId: meta.actorId ?? user.id, address: meta.address, userAgent: meta.userAgent });
    return toSessionUser(user);
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // Which constraint failed is read back rather than parsed from driver-specific error text.
    const taken = await db.user.findFirst({ where: { username: input.username }, select: { id: true } });
    throw taken || !input.email
      ? new AppError("username_taken", { fields: { username: ["That username is already taken."] } })
      : new AppError("email_taken", { fields: { email: ["That email address is already in use."] } });
  }
}
