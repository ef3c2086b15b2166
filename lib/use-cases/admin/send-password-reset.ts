// An admin sends an account a password reset: every session of the account ends now, and a reset
// link (voiding earlier ones) is mailed, or handed to the admin when no mail can be sent. The
// password itself is not touched: the person chooses the new one through the link.
import { issueAccountToken, TOKEN_LIFETIME_MS } from "@/lib/auth/account-tokens";
import { revokeSessions } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { adminPasswordResetMail } from "@/lib/mail/templates";
import { linkTo } from "../links";
import type { AdminActor } from "../meta";
import { noSuchUser, withAdminLock } from "./admin-lock";

export type SendPasswordResetInput = { userId: string; actor: AdminActor };

/** `resetUrl` only when nothing was mailed (EMAIL_DELIVERY=off, or the account has no email). */
export type SendPasswordResetResult = { mailed: true } | { mailed: false; resetUrl: string };

/**
 * A `/reset-password` link for the account, recording the address it is mailed to (if any). The
 * account may be deleted between the caller's check and the insert: that is the 404 it would have
 * been a moment earlier, not a 500.
 */
export async function issueResetLink(
  deps: Deps,
  userId: string,
  opts: { lifetimeMs?: number; email?: string | null } = {},
): Promise<string> {
  try {
    const token = await issueAccountToken(deps, { userId, purpose: "password_reset", ...opts });
    return linkTo(deps, "/reset-password", token);
  } catch (e) {
    if ((await deps.db.user.count({ where: { id: userId } })) === 0) throw noSuchUser();
    throw e;
  }
}

export async function sendPasswordReset(deps: Deps, input: SendPasswordResetInput): Promise<SendPasswordResetResult> {
  const { userId, actor } = input;
  const user = await withAdminLock(deps, actor.actorId, async (tx) => {
    const found = await tx.user.findUnique({ where: { id: userId }, select: { username: true, email: true } });
    if (!found) throw noSuchUser();
    const sessionsEnded = await revokeSessions(
      { db: tx, clock: deps.clock, sessionCache: deps.sessionCache },
      { userId },
      "admin_password_reset",
    );
    return { ...found, sessionsEnded };
  });
  const mailTo = deps.mailer.delivery === "off" ? null : user.email;
  const url = await issueResetLink(deps, userId, { email: mailTo });
  const event = { userId, actorId: actor.actorId, address: actor.address, userAgent: actor.userAgent };
  await deps.audit.record({
    type: "password_reset_by_admin",
    ...event,
    detail: { mailed: mailTo !== null, sessionsEnded: user.sessionsEnded },
  });
  if (mailTo === null) return { mailed: false, resetUrl: url };
  const minutes = TOKEN_LIFETIME_MS.password_reset / 60_000;
  deps.mailer.send(adminPasswordResetMail(mailTo, { url, username: user.username, minutes }));
  return { mailed: true };
}
