// Single-use links mailed to a person (SPEC "Mail"): 256 random bits, stored only as a SHA-256
// hash, bound to one purpose and one account, spent with a compare-and-swap so that of two
// concurrent uses exactly one wins.
import type { Db } from "@/lib/db/client";
import { providerOf } from "@/lib/db/url";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import { randomToken, sha256 } from "./secrets";

/** One answer for an unknown, expired, used or wrong-purpose link, so none can be told apart. */
export const invalidLink = () =>
  new AppError("invalid_token", { status: 400, message: "This link is invalid, has expired or was already used. Ask for a new one." });

export const TOKEN_PURPOSES = ["password_reset", "email_verification", "email_change"] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** SPEC lifetimes: reset 30 minutes, verification and email change 24 hours. */
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  password_reset: 30 * 60_000,
  email_verification: 24 * 3_600_000,
  email_change: 24 * 3_600_000,
};

// 256 bits in base64url: 43 characters. Anything else is refused before a database read.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

type TokenDb = Pick<Db, "accountToken">;

export type LiveToken = { tokenHash: string; userId: string; email: string | null; expiresAt: Date };

/**
 * A new link for `purpose`. Every earlier unspent link of the same purpose for the account is
 * voided in the same transaction (a new reset link voids the previous one). `lifetimeMs` replaces
 * the purpose's lifetime where a caller's SPEC says so (an admin's invitation).
 */
export async function issueAccountToken(
  deps: Pick<Deps, "db" | "clock" | "config">,
  input: { userId: string; purpose: TokenPurpose; email?: string | null; lifetimeMs?: number },
): Promise<string> {
  const token = randomToken();
  const now = deps.clock.now();
  await deps.db.$transaction(async (tx) => {
    // Two requests at once must not both leave a live link. SQLite serialises writers already; on
    // PostgreSQL, read committed lets each transaction miss the other's new row, so the account's
    // row is locked first and the second request waits, then voids the first one's link.
    if (providerOf(deps.config.DATABASE_URL) === "postgresql") {
      await tx.$queryRaw`SELECT 1 FROM "User" WHERE "id" = ${input.userId} FOR UPDATE`;
    }
    await voidAccountTokens({ db: tx, clock: deps.clock }, input.userId, [input.purpose]);
    await tx.accountToken.create({
      data: {
        tokenHash: sha256(token),
        purpose: input.purpose,
        userId: input.userId,
        email: input.email ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + (input.lifetimeMs ?? TOKEN_LIFETIME_MS[input.purpose])),
      },
      select: { tokenHash: true },
    });
  });
  return token;
}

/** The unspent, unexpired link of this purpose, without spending it (to check a new password first). */
export async function findLiveToken(
  deps: { db: TokenDb; clock: Deps["clock"] },
  token: string,
  purpose: TokenPurpose,
): Promise<LiveToken | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = await deps.db.accountToken.findUnique({
    where: { tokenHash: sha256(token) },
    select: { tokenHash: true, userId: true, email: true, purpose: true, expiresAt: true, usedAt: true },
  });
  if (!row || row.purpose !== purpose || row.usedAt !== null || row.expiresAt <= deps.clock.now()) return null;
  return { tokenHash: row.tokenHash, userId: row.userId, email: row.email, expiresAt: row.expiresAt };
}

/** Spends the link; true for exactly one of any number of concurrent callers. */
export async function spendToken(deps: { db: TokenDb; clock: Deps["clock"] }, live: LiveToken, purpose: TokenPurpose): Promise<boolean> {
  const now = deps.clock.now();
  const { count } = await deps.db.accountToken.updateMany({
    where: { tokenHash: live.tokenHash, purpose, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count === 1;
}

/** Voids every unspent link of these purposes for the account (a password change voids resets). */
export async function voidAccountTokens(
  deps: { db: TokenDb; clock: Deps["clock"] },
  userId: string,
  purposes: TokenPurpose[],
): Promise<number> {
  const { count } = await deps.db.accountToken.updateMany({
    where: { userId, purpose: { in: purposes }, usedAt: null },
    data: { usedAt: deps.clock.now() },
  });
  return count;
}
