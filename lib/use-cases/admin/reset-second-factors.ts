// An admin removes another account's second factors (a lost phone): the authenticator app, its
// recovery codes and every passkey. Needs the admin's fresh authentication; the person is told
// by mail, and the event names the admin.
import { requireFreshAuthentication } from "@/lib/auth/freshness";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import { secondFactorsResetMail } from "@/lib/mail/templates";
import { pageUrl } from "../links";
import type { AdminActor } from "../meta";
import { noSuchUser, withAdminLock } from "./admin-lock";

export type ResetSecondFactorsInput = { userId: string; actor: AdminActor & { sessionId: string } };

export async function resetSecondFactors(deps: Deps, input: ResetSecondFactorsInput): Promise<void> {
  const { userId, actor } = input;
  await requireFreshAuthentication(deps, actor.sessionId);
  if (userId === actor.actorId) throw new AppError("forbidden", { message: "Change your own second factors from your account page." });
  const user = await withAdminLock(deps, actor.actorId, async (tx) => {
    const found = await tx.user.findUnique({ where: { id: userId }, select: { username: true, email: true } });
    if (!found) throw noSuchUser();
    const [totp, codes, passkeys] = await Promise.all([
      tx.totpFactor.deleteMany({ where: { userId } }),
      tx.recoveryCode.deleteMany({ where: { userId } }),
      tx.passkey.deleteMany({ where: { userId } }),
    ]);
    return { ...found, removed: { totp: totp.count, recoveryCodes: codes.count, passkeys: passkeys.count } };
  });
  const event = { userId, actorId: actor.actorId, address: actor.address, userAgent: actor.userAgent };
  await deps.audit.record({ type: "second_factors_reset_by_admin", ...event, detail: user.removed });
  if (user.email) deps.mailer.send(secondFactorsResetMail(user.email, { username: user.username, accountUrl: pageUrl(deps, "/account") }));
}
