// Removes the authenticator app and its recovery codes. Needs a fresh authentication.
import { requireFreshAuthentication } from "@/lib/auth/freshness";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "../meta";

export type DisableTotpInput = { userId: string; sessionId: string; meta: RequestMeta };

export async function disableTotp(deps: Deps, input: DisableTotpInput): Promise<void> {
  await requireFreshAuthentication(deps, input.sessionId);
  const removed = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.totpFactor.deleteMany({ where: { userId: input.userId } });
    await tx.recoveryCode.deleteMany({ where: { userId: input.userId } });
    return count;
  });
  if (removed === 0) throw new AppError("totp_not_enabled");
  await deps.audit.record({ type: "totp_disabled", userId: input.userId, actorId: input.userId, ...input.meta });
}
