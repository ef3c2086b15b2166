// "Forgot password?": the same answer, in the same time, whether or not the account exists or has
// an email. Only throttling happens before the answer, keyed on what was typed; the look-up, the
// link and the mail happen after it (deps.tasks), so neither the body nor the timing tells.
import { issueAccountToken, TOKEN_LIFETIME_MS } from "@/lib/auth/account-tokens";
import type { Deps } from "@/lib/deps";
import { passwordResetMail } from "@/lib/mail/templates";
import { linkTo } from "../links";
import type { RequestMeta } from "../meta";
import { tooManyAttempts } from "./too-many-attempts";

export type RequestPasswordResetInput = { identifier: string; meta: RequestMeta };

export async function requestPasswordReset(deps: Deps, input: RequestPasswordResetInput): Promise<void> {
  const { identifier, meta } = input;
  const verdict = await deps.throttle.mail({ purpose: "password_reset", account: identifier, address: meta.address });
  if (!verdict.allowed) {
    await deps.audit.record({ type: "mail_throttled", subject: identifier, ...meta, detail: { purpose: "password_reset" } });
    throw tooManyAttempts(verdict.retryAfterSeconds, "Several reset links were asked for already. Wait a few minutes before asking again.");
  }
  deps.tasks.defer("password-reset", () => mailResetLink(deps, input));
}

async function mailResetLink(deps: Deps, { identifier, meta }: RequestPasswordResetInput): Promise<void> {
  const user = await deps.db.user.findFirst({
    where: identifier.includes("@") ? { email: identifier } : { username: identifier },
    select: { id: true, username: true, email: true, disabled: true },
  });
  const sendable = user?.email && !user.disabled;
  await deps.audit.record({
    type: "password_reset_requested",
    userId: user?.id,
    subject: identifier,
    ...meta,
    detail: { mailed: Boolean(sendable), ...(user && !sendable ? { reason: user.disabled ? "disabled" : "no_email" } : {}) },
  });
  if (!user?.email || !sendable) return;
  const token = await issueAccountToken(deps, { userId: user.id, purpose: "password_reset", email: user.email });
  const minutes = TOKEN_LIFETIME_MS.password_reset / 60_000;
  deps.mailer.send(passwordResetMail(user.email, { url: linkTo(deps, "/reset-password", token), username: user.username, minutes }));
}
