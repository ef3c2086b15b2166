// Spends an email-change link: the account takes the new address, already confirmed (the link
// proved it). Refused if someone else took the address in the meantime.
import { findLiveToken, invalidLink, spendToken, voidAccountTokens } from "@/lib/auth/account-tokens";
import { type SessionUser, toSessionUser } from "@/lib/auth/session-store";
import { isUniqueViolation } from "@/lib/db/errors";
import type { Deps } from "@/lib/deps";
import { emailTaken } from "../account/request-email-change";
import type { RequestMeta } from "../meta";
import { tooManyAttempts } from "./too-many-attempts";

export type ConfirmEmailChangeInput = { token: string; meta: RequestMeta };

export async function confirmEmailChange(deps: Deps, input: ConfirmEmailChangeInput): Promise<SessionUser> {
  const verdict = await deps.throttle.linkSubmission(input.meta.address);
  if (!verdict.allowed) throw tooManyAttempts(verdict.retryAfterSeconds);
  const live = await findLiveToken(deps, input.token, "email_change");
  if (!live?.email) {
    await deps.audit.record({ type: "email_change_failed", userId: live?.userId, ...input.meta });
    throw invalidLink();
  }
  const email = live.email;
  let changed: Awaited<ReturnType<typeof applyChange>>;
  try {
    changed = await applyChange(deps, live, email);
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    await deps.audit.record({ type: "email_change_failed", userId: live.userId, ...input.meta, detail: { reason: "email_taken" } });
    throw emailTaken();
  }
  if (!changed) {
    await deps.audit.record({ type: "email_change_failed", userId: live.userId, ...input.meta, detail: { reason: "already_used" } });
    throw invalidLink();
  }
  await deps.audit.record({ type: "email_changed", userId: changed.id, actorId: changed.id, ...input.meta });
  return toSessionUser(changed);
}

function applyChange(deps: Deps, live: NonNullable<Awaited<ReturnType<typeof findLiveToken>>>, email: string) {
  return deps.db.$transaction(async (tx) => {
    const txDeps = { db: tx, clock: deps.clock };
    if (!(await spendToken(txDeps, live, "email_change"))) return null;
    // Links sent to the old address no longer prove anything.
    await voidAccountTokens(txDeps, live.userId, ["email_verification", "email_change"]);
    const changed = await tx.user.update({
      where: { id: live.userId },
      data: { email, emailVerifiedAt: deps.clock.now() },
      select: { id: true, username: true, email: true, role: true, createdAt: true, emailVerifiedAt: true },
    });
    // The principal carries the address.
    await deps.sessionCache.invalidate(tx, { userId: live.userId });
    return changed;
  });
}
