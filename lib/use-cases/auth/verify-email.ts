// Spends an email-verification link: the address it was sent to becomes confirmed, if it is
// still the account's address.
import { findLiveToken, invalidLink, spendToken } from "@/lib/auth/account-tokens";
import { type SessionUser, toSessionUser } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import type { RequestMeta } from "../meta";
import { tooManyAttempts } from "./too-many-attempts";

export type VerifyEmailInput = { token: string; meta: RequestMeta };

export async function verifyEmail(deps: Deps, input: VerifyEmailInput): Promise<SessionUser> {
  const verdict = await deps.throttle.linkSubmission(input.meta.address);
  if (!verdict.allowed) throw tooManyAttempts(verdict.retryAfterSeconds);
  const live = await findLiveToken(deps, input.token, "email_verification");
  const user = await deps.db.$transaction(async (tx) => {
    if (!live) return null;
    const owner = await tx.user.findUnique({ where: { id: live.userId }, select: { email: true } });
    // A link for an address the account no longer has confirms nothing.
    if (!owner || owner.email !== live.email || !(await spendToken({ db: tx, clock: deps.clock }, live, "email_verification"))) return null;
    const verified = await tx.user.update({
      where: { id: live.userId },
      data: { emailVerifiedAt: deps.clock.now() },
      select: { id: true, username: true, email: true, role: true, createdAt: true, emailVerifiedAt: true },
    });
    // The principal carries emailVerified.
    await deps.sessionCache.invalidate(tx, { userId: live.userId });
    return verified;
  });
  if (!user) {
    await deps.audit.record({ type: "email_verification_failed", userId: live?.userId, ...input.meta });
    throw invalidLink();
  }
  await deps.audit.record({ type: "email_verified", userId: user.id, actorId: user.id, ...input.meta });
  return toSessionUser(user);
}
