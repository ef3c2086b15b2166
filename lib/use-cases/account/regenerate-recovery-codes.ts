// New recovery codes; every old one stops working. Needs a fresh authentication.
import { requireFreshAuthentication } from "@/lib/auth/freshness";
import { hashRecoveryCode, newRecoveryCodes } from "@/lib/auth/recovery-codes";
import type { Db } from "@/lib/db/client";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "../meta";

export type RegenerateRecoveryCodesInput = { userId: string; sessionId: string; meta: RequestMeta };

export async function replaceRecoveryCodes(
  deps: { db: Pick<Db, "recoveryCode">; clock: Deps["clock"] },
  userId: string,
): Promise<string[]> {
  const codes = newRecoveryCodes();
  await deps.db.recoveryCode.deleteMany({ where: { userId } });
  await deps.db.recoveryCode.createMany({
    data: codes.map((code) => ({ codeHash: hashRecoveryCode(code), userId, createdAt: deps.clock.now() })),
  });
  return codes;
}

export async function regenerateRecoveryCodes(deps: Deps, input: RegenerateRecoveryCodesInput): Promise<{ recoveryCodes: string[] }> {
  await requireFreshAuthentication(deps, input.sessionId);
  const factor = await deps.db.totpFactor.findUnique({ where: { userId: input.userId }, select: { confirmedAt: true } });
  if (!factor?.confirmedAt) throw new AppError("totp_not_enabled");
  const recoveryCodes = await deps.db.$transaction((tx) => replaceRecoveryCodes({ db: tx, clock: deps.clock }, input.userId));
  await deps.audit.record({ type: "recovery_codes_regenerated", userId: input.userId, actorId: input.userId, ...input.meta });
  return { recoveryCodes };
}
