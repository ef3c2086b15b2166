// Spends a reset link: a new password (which must pass the policy, checked before the link is
// spent so a weak choice does not burn it), every session of the account ended, every other
// reset link voided, and a notice mailed.
import { findLiveToken, invalidLink, spendToken, voidAccountTokens } from "@/lib/auth/account-tokens";
import { revokeSessions } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { passwordChangedMail } from "@/lib/mail/templates";
import { pageUrl } from "../links";
import type { RequestMeta } from "../meta";
import { assertPasswordAllowed } from "./create-account";
import { tooManyAttempts } from "./too-many-attempts";

export type ResetPasswordInput = { token: string; password: string; meta: RequestMeta };

export async function resetPassword(deps: Deps, input: ResetPasswordInput): Promise<void> {
  const verdict = await deps.throttle.linkSubmission(input.meta.address);
  if (!verdict.allowed) throw tooManyAttempts(verdict.retryAfterSeconds);
  const live = await findLiveToken(deps, input.token, "password_reset");
  const user = live
    ? await deps.db.user.findUnique({
        where: { id: live.userId },
        select: { id: true, username: true, email: true, emailVerifiedAt: true, disabled: true },
      })
    : null;
  if (!live || !user || user.disabled) {
    await deps.audit.record({ type: "password_reset_failed", userId: user?.id, ...input.meta });
    throw invalidLink();
  }
  assertPasswordAllowed(deps, input.password, user);
  const passwordHash = await deps.hasher.hash(input.password);
  const spent = await deps.db.$transaction(async (tx) => {
    const txDeps = { db: tx, clock: deps.clock, sessionCache: deps.sessionCache };
    if (!(await spendToken(txDeps, live, "password_reset"))) return false;
    // A link mailed to the account's current address proves the person reads it: an invited
    // account (or a reset one) is then verified, and is not met by `email_unverified` next.
    const proves = live.email !== null && live.email === user.email && user.emailVerifiedAt === null;
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, passwordChangedAt: deps.clock.now(), ...(proves ? { emailVerifiedAt: deps.clock.now() } : {}) },
      select: { id: true },
    });
    await voidAccountTokens(txDeps, user.id, ["password_reset"]);
    await revokeSessions(txDeps, { userId: user.id }, "password_reset");
    return true;
  });
  if (!spent) {
    await deps.audit.record({ type: "password_reset_failed", userId: user.id, ...input.meta, detail: { reason: "already_used" } });
    throw invalidLink();
  }
  await deps.audit.record({ type: "password_reset", userId: user.id, actorId: user.id, ...input.meta });
  if (user.email) {
    const mail = passwordChangedMail(user.email, {
      username: user.username,
      signInUrl: pageUrl(deps, "/login"),
      forgotUrl: pageUrl(deps, "/forgot-password"),
    });
    deps.mailer.send(mail);
  }
}
