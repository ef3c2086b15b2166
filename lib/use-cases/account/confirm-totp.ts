// Finishes setting up an authenticator app with a first code, and hands out ten recovery codes,
// shown once and stored only hashed.
import { encryptionRing, totpAad } from "@/lib/auth/second-factors";
import { matchTotp } from "@/lib/auth/totp";
import { decrypt } from "@/lib/crypto/encryption";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "../meta";
import { replaceRecoveryCodes } from "./regenerate-recovery-codes";

export type ConfirmTotpInput = { userId: string; code: string; meta: RequestMeta };

export async function confirmTotp(deps: Deps, input: ConfirmTotpInput): Promise<{ recoveryCodes: string[] }> {
  const factor = await deps.db.totpFactor.findUnique({ where: { userId: input.userId }, select: { secret: true, confirmedAt: true } });
  if (!factor) throw new AppError("totp_not_enabled", { message: "Start setting up the authenticator app first." });
  if (factor.confirmedAt) throw new AppError("totp_already_enabled");
  const secret = decrypt(encryptionRing(deps.config), factor.secret, totpAad(input.userId));
  const step = matchTotp(secret, input.code, deps.clock.now().getTime());
  if (step === null)
    throw new AppError("invalid_code", { status: 422, fields: { code: ["That code is not right. Enter the current one."] } });
  const recoveryCodes = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.totpFactor.updateMany({
      where: { userId: input.userId, confirmedAt: null },
      data: { confirmedAt: deps.clock.now(), lastUsedStep: step },
    });
    if (count !== 1) throw new AppError("totp_already_enabled");
    return replaceRecoveryCodes({ db: tx, clock: deps.clock }, input.userId);
  });
  await deps.audit.record({ type: "totp_enabled", userId: input.userId, actorId: input.userId, ...input.meta });
  return { recoveryCodes };
}
