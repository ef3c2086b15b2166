// The second factors of an account, and checking one (SPEC "Second factor"). A TOTP code is
// accepted once: the step it matched is written with a compare-and-swap, so a replay in the same
// window, or two concurrent uses of one code, fail. A recovery code is spent the same way.
import type { Config } from "@/lib/config";
import { decrypt, type EncryptionRing, encrypt, needsReEncryption, parseEncryptionKeys } from "@/lib/crypto/encryption";
import type { Db } from "@/lib/db/client";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import { hashRecoveryCode } from "./recovery-codes";
import { matchTotp } from "./totp";

export type SecondFactors = { totp: boolean; passkeys: number };
export type FactorAnswer = { code: string } | { recoveryCode: string };
export type FactorCheck = { ok: true; method: "totp" | "recovery_code"; recoveryCodesLeft?: number } | { ok: false };

let cachedRing: { raw: string; ring: EncryptionRing } | undefined;

/** The data-encryption ring; every environment has one (development generates it, production requires it). */
export function encryptionRing(config: Pick<Config, "AUTH_ENCRYPTION_KEYS">): EncryptionRing {
  const raw = config.AUTH_ENCRYPTION_KEYS;
  if (!raw) throw new AppError("service_unavailable", { message: "Second factors need AUTH_ENCRYPTION_KEYS." });
  if (cachedRing?.raw !== raw) cachedRing = { raw, ring: parseEncryptionKeys(raw) };
  return cachedRing.ring;
}

/** The associated data that binds a TOTP ciphertext to its account. */
export const totpAad = (userId: string) => `totp:${userId}`;

export async function secondFactorsOf(db: Db, userId: string): Promise<SecondFactors> {
  const [totp, passkeys] = await Promise.all([
    db.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } }),
    db.passkey.count({ where: { userId } }),
  ]);
  return { totp: Boolean(totp?.confirmedAt), passkeys };
}

export async function checkFactor(deps: Pick<Deps, "db" | "clock" | "config">, userId: string, answer: FactorAnswer): Promise<FactorCheck> {
  if ("code" in answer) {
    const factor = await deps.db.totpFactor.findUnique({
      where: { userId },
      select: { secret: true, confirmedAt: true, lastUsedStep: true },
    });
    if (!factor?.confirmedAt) return { ok: false };
    const ring = encryptionRing(deps.config);
    const secret = decrypt(ring, factor.secret, totpAad(userId));
    const step = matchTotp(secret, answer.code, deps.clock.now().getTime());
    if (step === null) return { ok: false };
    // After a key rotation, a secret still under an older key moves to the current one on use.
    const reEncrypted = needsReEncryption(ring, factor.secret) ? { secret: encrypt(ring, secret, totpAad(userId)) } : {};
    const { count } = await deps.db.totpFactor.updateMany({
      where: { userId, confirmedAt: { not: null }, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
      data: { lastUsedStep: step, ...reEncrypted },
    });
    return count === 1 ? { ok: true, method: "totp" } : { ok: false };
  }
  const { count } = await deps.db.recoveryCode.updateMany({
    where: { userId, codeHash: hashRecoveryCode(answer.recoveryCode), usedAt: null },
    data: { usedAt: deps.clock.now() },
  });
  if (count !== 1) return { ok: false };
  const recoveryCodesLeft = await deps.db.recoveryCode.count({ where: { userId, usedAt: null } });
  return { ok: true, method: "recovery_code", recoveryCodesLeft };
}
