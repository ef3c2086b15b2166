// Short-lived, single-use challenges: the second sign-in step (5 minutes, dies after 5 wrong
// codes) and passkey ceremonies. The token handed out is 256 random bits; only its hash is kept.
import type { Db } from "@/lib/db/client";
import type { Deps } from "@/lib/deps";
import { randomToken, sha256 } from "./secrets";

export type ChallengeKind = "second_factor" | "passkey_registration" | "passkey_login";

export const CHALLENGE_TTL_MS = 5 * 60_000;
export const MAX_CHALLENGE_ATTEMPTS = 5;

export type LiveChallenge = { id: string; userId: string | null; webauthn: string | null; attempts: number };

export async function createChallenge(
  deps: Pick<Deps, "db" | "clock">,
  input: { kind: ChallengeKind; userId: string | null; webauthn?: string },
): Promise<string> {
  const token = randomToken();
  const now = deps.clock.now();
  await deps.db.loginChallenge.create({
    data: {
      id: sha256(token),
      kind: input.kind,
      userId: input.userId,
      webauthn: input.webauthn ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
    },
    select: { id: true },
  });
  // Expired challenges are swept as new ones are made; the index on expiresAt keeps it cheap.
  await deps.db.loginChallenge.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - CHALLENGE_TTL_MS) } } });
  return token;
}

export async function findChallenge(deps: { db: Pick<Db, "loginChallenge">; clock: Deps["clock"] }, token: string, kind: ChallengeKind) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await deps.db.loginChallenge.findUnique({
    where: { id: sha256(token) },
    select: { id: true, kind: true, userId: true, webauthn: true, attempts: true, expiresAt: true, usedAt: true },
  });
  if (!row || row.kind !== kind || row.usedAt || row.expiresAt <= deps.clock.now() || row.attempts >= MAX_CHALLENGE_ATTEMPTS) return null;
  return { id: row.id, userId: row.userId, webauthn: row.webauthn, attempts: row.attempts } satisfies LiveChallenge;
}

/** Spends the challenge; true for exactly one of concurrent callers. */
export async function spendChallenge(deps: { db: Pick<Db, "loginChallenge">; clock: Deps["clock"] }, id: string): Promise<boolean> {
  const now = deps.clock.now();
  const { count } = await deps.db.loginChallenge.updateMany({
    where: { id, usedAt: null, expiresAt: { gt: now }, attempts: { lt: MAX_CHALLENGE_ATTEMPTS } },
    data: { usedAt: now },
  });
  return count === 1;
}

/** Counts a wrong answer; the challenge dies at MAX_CHALLENGE_ATTEMPTS. */
export async function failChallenge(deps: { db: Pick<Db, "loginChallenge"> }, id: string): Promise<void> {
  await deps.db.loginChallenge.updateMany({ where: { id }, data: { attempts: { increment: 1 } } });
}
