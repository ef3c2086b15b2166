// Refresh sessions (see docs/decisions/0002-refresh-rotation.md).
// A session holds a chain of refresh tokens T0, T1, ... where T(n+1) = HMAC(session secret, Tn).
// Only SHA-256 hashes of tokens are stored. Each refresh consumes the presented token with a
// compare-and-swap in one transaction, so two refreshes can never fork the chain. Because the
// chain is derivable from any earlier token, a token rotated less than REFRESH_REUSE_GRACE ago
// can be answered with the session's *current* token (two tabs, a lost response) without
// storing it; after the grace window the same presentation is theft and ends the session.
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { hmac, randomToken, sha256 } from "./secrets";

export type SessionUser = { id: string; username: string; email: string | null; role: "user" | "admin"; createdAt: Date };
export type RefreshResult =
  | { ok: true; sessionId: string; refreshToken: string; user: SessionUser; expiresAt: Date; graced: boolean }
  | { ok: false; reason: "unknown" | "revoked" | "expired" | "disabled" | "reuse"; sessionId?: string; userId?: string };

const USER_SELECT = { id: true, username: true, email: true, role: true, createdAt: true, disabled: true } as const;

/** The role column is free text in SQLite; anything but "admin" grants nothing. */
export function asRole(value: string): "user" | "admin" {
  return value === "admin" ? "admin" : "user";
}

export function toSessionUser(u: { id: string; username: string; email: string | null; role: string; createdAt: Date }): SessionUser {
  return { id: u.id, username: u.username, email: u.email, role: asRole(u.role), createdAt: u.createdAt };
}

export function nextToken(secret: string, token: string): string {
  return hmac(secret, token);
}

/** When a session's refresh cookie should stop: the idle limit, capped by the absolute end. */
export function refreshExpiry(session: { expiresAt: Date }, now = new Date()): Date {
  const idleEnd = now.getTime() + env().REFRESH_IDLE_TTL;
  return new Date(Math.min(idleEnd, session.expiresAt.getTime()));
}

export async function createSession(
  db: Db,
  input: { userId: string; address: string | null; userAgent: string | null },
): Promise<{ sessionId: string; refreshToken: string; expiresAt: Date }> {
  const refreshToken = randomToken();
  const now = new Date();
  const session = await db.session.create({
    data: {
      userId: input.userId,
      rotationSecret: randomToken(),
      expiresAt: new Date(now.getTime() + env().REFRESH_TOKEN_TTL),
      address: input.address,
      userAgent: input.userAgent,
      createdAt: now,
      lastUsedAt: now,
      refreshTokens: { create: { tokenHash: sha256(refreshToken), generation: 0, createdAt: now } },
    },
    select: { id: true, expiresAt: true },
  });
  return { sessionId: session.id, refreshToken, expiresAt: refreshExpiry(session, now) };
}

export async function revokeSession(db: Db, where: { id: string } | { userId: string; exceptId?: string }, reason: string): Promise<number> {
  const filter =
    "id" in where ? { id: where.id } : { userId: where.userId, ...(where.exceptId === undefined ? {} : { id: { not: where.exceptId } }) };
  const { count } = await db.session.updateMany({ where: { ...filter, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } });
  return count;
}

class LostRace extends Error {}

export async function rotateRefreshToken(db: Db, presented: string, meta: { address: string | null; userAgent: string | null }): Promise<RefreshResult> {
  const { REFRESH_REUSE_GRACE: grace, REFRESH_IDLE_TTL: idle } = env();
  const row = await db.refreshToken.findUnique({
    where: { tokenHash: sha256(presented) },
    select: {
      generation: true,
      rotatedAt: true,
      session: {
        select: { id: true, rotationSecret: true, generation: true, expiresAt: true, lastUsedAt: true, revokedAt: true, user: { select: USER_SELECT } },
      },
    },
  });
  if (!row) return { ok: false, reason: "unknown" };
  const { session } = row;
  const ids = { sessionId: session.id, userId: session.user.id };
  const now = new Date();
  if (session.revokedAt) return { ok: false, reason: "revoked", ...ids };
  if (session.user.disabled) {
    await revokeSession(db, { id: session.id }, "account_disabled");
    return { ok: false, reason: "disabled", ...ids };
  }
  if (session.expiresAt <= now || session.lastUsedAt.getTime() + idle <= now.getTime()) {
    await revokeSession(db, { id: session.id }, "expired");
    return { ok: false, reason: "expired", ...ids };
  }
  const user = toSessionUser(session.user);

  if (row.rotatedAt === null) {
    const next = nextToken(session.rotationSecret, presented);
    try {
      await db.$transaction(async (tx) => {
        const consumed = await tx.refreshToken.updateMany({ where: { tokenHash: sha256(presented), rotatedAt: null }, data: { rotatedAt: now } });
        if (consumed.count !== 1) throw new LostRace();
        const advanced = await tx.session.updateMany({
          where: { id: session.id, generation: row.generation, revokedAt: null },
          data: { generation: row.generation + 1, lastUsedAt: now, address: meta.address, userAgent: meta.userAgent },
        });
        if (advanced.count !== 1) throw new LostRace();
        await tx.refreshToken.create({ data: { tokenHash: sha256(next), sessionId: session.id, generation: row.generation + 1, createdAt: now } });
      });
      return { ok: true, sessionId: session.id, refreshToken: next, user, expiresAt: refreshExpiry(session, now), graced: false };
    } catch (e) {
      if (!(e instanceof LostRace)) throw e;
    }
  }
  return answerRotated(db, presented, row.generation, session.rotationSecret, user, grace, now);
}

/** The presented token was already consumed: inside the grace window, hand out the current one. */
async function answerRotated(
  db: Db,
  presented: string,
  generation: number,
  secret: string,
  user: SessionUser,
  grace: number,
  now: Date,
): Promise<RefreshResult> {
  const current = await db.refreshToken.findUnique({
    where: { tokenHash: sha256(presented) },
    select: { rotatedAt: true, session: { select: { id: true, generation: true, revokedAt: true, expiresAt: true } } },
  });
  const session = current?.session;
  if (!current || !session) return { ok: false, reason: "unknown" };
  const ids = { sessionId: session.id, userId: user.id };
  if (session.revokedAt) return { ok: false, reason: "revoked", ...ids };
  const rotatedAt = current.rotatedAt ?? now;
  if (now.getTime() - rotatedAt.getTime() > grace) {
    await revokeSession(db, { id: session.id }, "refresh_token_reuse");
    return { ok: false, reason: "reuse", ...ids };
  }
  let token = presented;
  for (let g = generation; g < session.generation; g++) token = nextToken(secret, token);
  return { ok: true, sessionId: session.id, refreshToken: token, user, expiresAt: refreshExpiry(session, now), graced: true };
}

/** The per-request check behind every Node-side page and API: is this session still live? */
export async function loadLiveSession(db: Db, sessionId: string, userId: string): Promise<SessionUser | null> {
  const session = await db.session.findUnique({
    where: { id: sessionId },
    select: { userId: true, revokedAt: true, expiresAt: true, lastUsedAt: true, user: { select: USER_SELECT } },
  });
  const now = Date.now();
  if (!session || session.userId !== userId || session.revokedAt || session.user.disabled) return null;
  if (session.expiresAt.getTime() <= now || session.lastUsedAt.getTime() + env().REFRESH_IDLE_TTL <= now) return null;
  return toSessionUser(session.user);
}
