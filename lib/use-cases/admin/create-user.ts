// An admin creates an account. It gets a password nobody knows (random, hashed, never shown), and
// the person chooses their own through a `/reset-password` link (the reset flow): mailed as an
// invitation, or handed to the admin as `setupUrl` when no mail can be sent.
import { randomToken } from "@/lib/auth/secrets";
import { isUniqueViolation } from "@/lib/db/errors";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import { invitationMail } from "@/lib/mail/templates";
import type { AdminCreateUserBody } from "@/lib/validation/admin";
import type { AdminActor } from "../meta";
import { withAdminLock } from "./admin-lock";
import { type AdminUserDto, describeUsers } from "./list-users";
import { issueResetLink } from "./send-password-reset";

/**
 * How long an invitation's set-up link works: 72 hours, not the reset link's 30 minutes, because
 * an invitation waits in an inbox until its person gets to it (and may span a weekend). Asking
 * for a new link ("Forgot password?") or an admin's password reset voids it.
 */
export const INVITATION_LIFETIME_MS = 72 * 3_600_000;

export type CreateUserInput = AdminCreateUserBody & { actor: AdminActor };

export type CreateUserResult = { user: AdminUserDto; setupUrl: string | null };

export async function createUser(deps: Deps, input: CreateUserInput): Promise<CreateUserResult> {
  const { username, actor } = input;
  const email = input.email ?? null;
  const role = input.role ?? "user";
  // As at sign-up: where every account confirms an email, one without could never sign in.
  if (deps.config.EMAIL_VERIFICATION === "required" && !email) {
    throw new AppError("validation_failed", {
      fields: { email: ["Enter an email address: this service confirms every account by email."] },
    });
  }
  // Hashed before the lock is taken: bcrypt is the slow part.
  const passwordHash = await deps.hasher.hash(randomToken());
  let userId: string;
  try {
    userId = await withAdminLock(deps, actor.actorId, async (tx) => {
      const user = await tx.user.create({ data: { username, email, passwordHash, role }, select: { id: true } });
      return user.id;
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // Which constraint failed is read back rather than parsed from driver-specific error text.
    const taken = await deps.db.user.findFirst({ where: { username }, select: { id: true } });
    throw taken || !email
      ? new AppError("username_taken", { fields: { username: ["That username is already taken."] } })
      : new AppError("email_taken", { fields: { email: ["That email address is already in use."] } });
  }
  const event = { userId, actorId: actor.actorId, subject: username, address: actor.address, userAgent: actor.userAgent };
  await deps.audit.record({ type: "user_created_by_admin", ...event, detail: { role } });
  const mailTo = deps.mailer.delivery === "off" ? null : email;
  const url = await issueResetLink(deps, userId, { lifetimeMs: INVITATION_LIFETIME_MS, email: mailTo });
  if (mailTo !== null) {
    deps.mailer.send(invitationMail(mailTo, { url, username, hours: INVITATION_LIFETIME_MS / 3_600_000 }));
  }
  const [user] = await describeUsers(deps, [userId]);
  if (!user) throw new AppError("conflict", { message: "The account was removed while it was being created." });
  return { user, setupUrl: mailTo === null ? url : null };
}
