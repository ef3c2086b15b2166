// Changing the email address: nothing changes until the link mailed to the new address is used
// (confirm-email-change.ts). The old address, if any, is told at once, with a way to secure the
// account. Needs a fresh authentication.
import { issueAccountToken, TOKEN_LIFETIME_MS } from "@/lib/auth/account-tokens";
import { requireFreshAuthentication } from "@/lib/auth/freshness";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import { confirmEmailChangeMail, emailChangeNoticeMail } from "@/lib/mail/templates";
import { tooManyAttempts } from "../auth/too-many-attempts";
import { linkTo, pageUrl } from "../links";
import type { RequestMeta } from "../meta";

export type RequestEmailChangeInput = { userId: string; sessionId: string; email: string; meta: RequestMeta };

export const emailTaken = () => new AppError("email_taken", { fields: { email: ["That email address is already in use."] } });

export async function requestEmailChange(deps: Deps, input: RequestEmailChangeInput): Promise<void> {
  await requireFreshAuthentication(deps, input.sessionId);
  const user = await deps.db.user.findUnique({ where: { id: input.userId }, select: { id: true, username: true, email: true } });
  if (!user) throw new AppError("unauthenticated");
  if (user.email === input.email) {
    throw new AppError("validation_failed", { fields: { email: ["That is already your email address."] } });
  }
  const taken = await deps.db.user.findFirst({ where: { email: input.email }, select: { id: true } });
  if (taken) throw emailTaken();
  const verdict = await deps.throttle.mail({ purpose: "email_change", account: user.id, address: input.meta.address });
  if (!verdict.allowed) {
    await deps.audit.record({ type: "mail_throttled", userId: user.id, ...input.meta, detail: { purpose: "email_change" } });
    throw tooManyAttempts(verdict.retryAfterSeconds, "We sent several links already. Wait a few minutes before asking again.");
  }
  const token = await issueAccountToken(deps, { userId: user.id, purpose: "email_change", email: input.email });
  const hours = TOKEN_LIFETIME_MS.email_change / 3_600_000;
  deps.mailer.send(confirmEmailChangeMail(input.email, { url: linkTo(deps, "/confirm-email", token), username: user.username, hours }));
  if (user.email) {
    const notice = { username: user.username, newEmail: input.email, forgotUrl: pageUrl(deps, "/forgot-password") };
    deps.mailer.send(emailChangeNoticeMail(user.email, notice));
  }
  await deps.audit.record({ type: "email_change_requested", userId: user.id, actorId: user.id, ...input.meta });
}
