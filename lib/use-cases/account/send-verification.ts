// Mails a link that confirms the account's current email address. Used at sign-up, on request
// from the account page, and when a required verification stops a sign-in.
import { issueAccountToken, TOKEN_LIFETIME_MS } from "@/lib/auth/account-tokens";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import { verifyEmailMail } from "@/lib/mail/templates";
import { tooManyAttempts } from "../auth/too-many-attempts";
import { linkTo } from "../links";
import type { RequestMeta } from "../meta";

export type SendVerificationInput = { userId: string; meta: RequestMeta };

/** For the account page: 409 when there is nothing to confirm, 429 past three mails in ten minutes. */
export async function sendVerification(deps: Deps, input: SendVerificationInput): Promise<void> {
  const user = await deps.db.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, emailVerifiedAt: true } });
  if (!user?.email) throw new AppError("no_email");
  if (user.emailVerifiedAt) throw new AppError("already_verified");
  const verdict = await deps.throttle.mail({ purpose: "email_verification", account: user.id, address: input.meta.address });
  if (!verdict.allowed) {
    await deps.audit.record({ type: "mail_throttled", userId: user.id, ...input.meta, detail: { purpose: "email_verification" } });
    throw tooManyAttempts(verdict.retryAfterSeconds, "We sent several links already. Wait a few minutes before asking again.");
  }
  await mailVerificationLink(deps, { userId: user.id, meta: input.meta });
}

/**
 * Issues the link and queues the mail, for a user whose address is known to need it. Callers that
 * must not reveal anything (sign-in) count it against the mail throttle themselves.
 */
export async function mailVerificationLink(deps: Deps, input: { userId: string; meta: RequestMeta }): Promise<void> {
  const user = await deps.db.user.findUnique({ where: { id: input.userId }, select: { id: true, username: true, email: true } });
  if (!user?.email) return;
  const token = await issueAccountToken(deps, { userId: user.id, purpose: "email_verification", email: user.email });
  const hours = TOKEN_LIFETIME_MS.email_verification / 3_600_000;
  deps.mailer.send(verifyEmailMail(user.email, { url: linkTo(deps, "/verify-email", token), username: user.username, hours }));
  await deps.audit.record({ type: "email_verification_sent", userId: user.id, actorId: user.id, ...input.meta });
}
