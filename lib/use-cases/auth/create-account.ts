// Creating an account, shared by sign-up (register.ts) and the `npm run user -- create` command.
import { checkPasswordPolicy } from "@/lib/auth/password-policy";
import { type SessionUser, toSessionUser } from "@/lib/auth/session-store";
import { isUniqueViolation } from "@/lib/db/errors";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";

export type CreateAccountInput = {
  username: string;
  email?: string | null;
  password: string;
  role?: "user" | "admin";
  meta?: { address?: string | null; userAgent?: string | null; actorId?: string | null };
};

/** Refuses a password the policy does not allow, naming the field the message belongs to. */
export function assertPasswordAllowed(
  deps: Pick<Deps, "config">,
  password: string,
  ctx: { username: string; email?: string | null },
  field = "password",
): void {
  const problems = checkPasswordPolicy(password, { ...ctx, minLength: deps.config.PASSWORD_MIN_LENGTH });
  if (problems.length > 0) throw new AppError("weak_password", { message: problems[0], fields: { [field]: problems } });
}

export async function createAccount(deps: Deps, input: CreateAccountInput): Promise<SessionUser> {
  const { db, audit } = deps;
  assertPasswordAllowed(deps, input.password, input);
  const passwordHash = await deps.hasher.hash(input.password);
  try {
    const user = await db.user.create({
      data: { username: input.username, email: input.email ?? null, passwordHash, role: input.role ?? "user" },
      select: { id: true, username: true, email: true, emailVerifiedAt: true, role: true, createdAt: true },
    });
    const meta = input.meta ?? {};
    await audit.record({
      type: "register",
      userId: user.id,
      actorId: meta.actorId ?? user.id,
      address: meta.address,
      userAgent: meta.userAgent,
    });
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
