// Starts setting up an authenticator app: a new secret, encrypted at rest, pending until a code
// from the app confirms it (confirm-totp.ts). Needs a fresh authentication.
import { requireFreshAuthentication } from "@/lib/auth/freshness";
import { encryptionRing, totpAad } from "@/lib/auth/second-factors";
import { newTotpSecret, otpauthUri } from "@/lib/auth/totp";
import { encrypt } from "@/lib/crypto/encryption";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "../meta";

export type EnrolTotpInput = { userId: string; sessionId: string; meta: RequestMeta };

export async function enrolTotp(deps: Deps, input: EnrolTotpInput): Promise<{ secret: string; otpauthUri: string }> {
  await requireFreshAuthentication(deps, input.sessionId);
  const user = await deps.db.user.findUnique({
    where: { id: input.userId },
    select: { username: true, totp: { select: { confirmedAt: true } } },
  });
  if (!user) throw new AppError("unauthenticated");
  if (user.totp?.confirmedAt) throw new AppError("totp_already_enabled");
  const secret = newTotpSecret();
  const stored = encrypt(encryptionRing(deps.config), secret, totpAad(input.userId));
  // A pending secret is replaced by a new enrolment: only the latest QR code works.
  await deps.db.totpFactor.upsert({
    where: { userId: input.userId },
    create: { userId: input.userId, secret: stored, createdAt: deps.clock.now() },
    update: { secret: stored, createdAt: deps.clock.now(), lastUsedStep: null },
    select: { userId: true },
  });
  await deps.audit.record({ type: "totp_enrolment_started", userId: input.userId, actorId: input.userId, ...input.meta });
  return { secret, otpauthUri: otpauthUri(secret, user.username) };
}
