// Refresh sessions (see docs/decisions/0002-refresh-rotation.md).
// A session holds a chain of refresh tokens T0, T1, ... where T(n+1) = HMAC(session secret, Tn).
// Only SHA-256 hashes of tokens are stored. Each refresh consumes the presented token with a
// compare-and-swap in one transaction, so two refreshes can never fork the chain. Because the
// chain is derivable from any earlier token, a token rotated less than REFRESH_REUSE_GRACE ago
// can be answered with the session's *current* token (two tabs, a lost response) without
// storing it; after the grace window the same presentation is theft and ends the session.
import type { Db } from "@/lib/db/client";
import type { Deps } from "@/lib/deps";
import { hmac, randomToken, sha256 } from "./secrets";

/** What the session store needs: the database, the clock, the session lifetimes, and the cache a revocation empties. */
export type SessionDeps = Pick<Deps, "db" | "clock" | "config" | "sessionCache">;

/** Why a session ended: a closed list, stored on the row and shown to the person it happened to. */
export const REVOCATION_REASONS = [
  "logout",
  "logout_everywhere",
  "signed_out_by_user",
  "password_changed",
  "password_reset",
  "admin_password_reset",
  "account_disabled",
  "revoked_by_admin",
  "refresh_token_reuse",
  "expired",
  "impersonation_ended",
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** One session, every session of a user, or every one but the caller's. */
export type RevocationTarget = { sessionId: string } | { userId: string; exceptSessionId?: string };

export type SessionUser = {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  role: "user" | "admin";
  createdAt: Date;
};
export type RefreshResult =
  | {
      ok: true;
      sessionId: string;
      refreshToken: string;
      user: SessionUser;
      expiresAt: Date;
      graced: boolean;
      /** The admin acting as `user`, when this is an impersonation session. */
      impersonatorId: string | null;
    }
  | { ok: false; reason: "unknown" | "revoked" | "expired" | "disabled" | "reuse"; sessionId?: string; userId?: string };

export const USER_SELECT = {
  id: true,
  username: true,
  email: true,
  emailVerifiedAt: true,
  role: true,
  createdAt: true,
  disabled: true,
} as const;

/** The role column is free text in SQLite; anything but "admin" grants nothing. */
export function asRole(value: string): "user" | "admin" {
  return value === "admin" ? "admin" : "user";
}

type UserRow = { id: string; username: string; email: string | null; emailVerifiedAt: Date | null; role: string; createdAt: Date };

export function toSessionUser(u: UserRow): SessionUser {
  const emailVerified = u.email !== null && u.emailVerifiedAt !== null;
  return { id: u.id, username: u.username, email: u.email, emailVerified, role: asRole(u.role), createdAt: u.createdAt };
}

export function nextToken(secret: string, token: string): string {
  return hmac(secret, token);
}

/** When a session's refresh cookie should stop: the idle limit, capped by the absolute end. */
export function refreshExpiry(deps: Pick<Deps, "config">, session: { expiresAt: Date }, now: Date): Date {
  const idleEnd = now.getTime() + deps.config.REFRESH_IDLE_TTL;
  return new Date(Math.min(idleEnd, session.expiresAt.getTime()));
}

/** An admin's session as another user (docs/decisions/0015-impersonation.md). */
export type NewImpersonation = { impersonatorId: string; lifetimeMs: number };

/** The store's writes, on the database or inside a caller's transaction. */
type StoreDeps = { db: Pick<Db, "session" | "user">; clock: Deps["clock"]; config: Deps["config"] };

/**
 * A new session and its first refresh token. A sign-in also marks the account as seen; an
 * impersonation does not (the person did not come by), ends after `lifetimeMs` at most, and is
 * never "fresh": step-up can only be answered by the person, never by the admin acting as them.
 */
export async function createSession(
  deps: StoreDeps,
  input: { userId: string; address: string | null; userAgent: string | null; impersonation?: NewImpersonation },
): Promise<{ sessionId: string; refreshToken: string; expiresAt: Date; endsAt: Date }> {
  const refreshToken = randomToken();
  const now = deps.clock.now();
  const { impersonation } = input;
  const lifetime = Math.min(deps.config.REFRESH_TOKEN_TTL, impersonation?.lifetimeMs ?? Number.POSITIVE_INFINITY);
  const session = await deps.db.session.create({
    data: {
      userId: input.userId,
      rotationSecret: randomToken(),
      expiresAt: new Date(now.getTime() + lifetime),
      address: input.address,
      userAgent: input.userAgent,
      createdAt: now,
      lastUsedAt: now,
      ...(impersonation ? { impersonatorId: impersonation.impersonatorId, authenticatedAt: NEVER_FRESH } : {}),
      refreshTokens: { create: { tokenHash: sha256(refreshToken), generation: 0, createdAt: now } },
    },
    select: { id: true, expiresAt: true },
  });
  if (!impersonation) await markSeen(deps, input.userId, now);
  // expiresAt: the refresh cookie's end (idle limit); endsAt: the session's absolute end.
  return { sessionId: session.id, refreshToken, expiresAt: refreshExpiry(deps, session, now), endsAt: session.expiresAt };
}

/** authenticatedAt of an impersonation session: long before any REAUTH_TTL window. */
const NEVER_FRESH = new Date(0);

/** User.lastSeenAt: the last sign-in or refresh (admin list, sort=last_seen). updateMany: no error for a deleted account. */
async function markSeen(deps: { db: Pick<Db, "user"> }, userId: string, now: Date): Promise<void> {
  await deps.db.user.updateMany({ where: { id: userId }, data: { lastSeenAt: now } });
}

/**
 * The one way a session ends. Pass a transaction as `db` when the revocation must commit with
 * another write (a password change, a disable). Returns how many live sessions it ended.
 */
export async function revokeSessions(
  deps: { db: Pick<Db, "session" | "$executeRaw">; clock: Deps["clock"]; sessionCache: Deps["sessionCache"] },
  target: RevocationTarget,
  reason: RevocationReason,
): Promise<number> {
  const filter =
    "sessionId" in target
      ? { id: target.sessionId }
      : { userId: target.userId, ...(target.exceptSessionId === undefined ? {} : { id: { not: target.exceptSessionId } }) };
  const { count } = await deps.db.session.updateMany({
    where: { ...filter, revokedAt: null },
    data: { revokedAt: deps.clock.now(), revokedReason: reason },
  });
  // After the write: outside a transaction the other instances then hear of it only once it is
  // readable; inside one, NOTIFY waits for the commit and this instance holds refills back till then.
  await deps.sessionCache.invalidate(deps.db, "sessionId" in target ? { sessionId: target.sessionId } : { userId: target.userId });
  return count;
}

/** The live session a refresh token belongs to (logout with an expired access token). */
export async function findSessionByRefreshToken(db: Db, token: string): Promise<{ sessionId: string; userId: string } | null> {
  const row = await db.refreshToken.findUnique({
    where: { tokenHash: sha256(token) },
    select: { session: { select: { id: true, userId: true, revokedAt: true } } },
  });
  return row && !row.session.revokedAt ? { sessionId: row.session.id, userId: row.session.userId } : null;
}

/**
 * Why the session a refresh token belongs to ended, for the page the browser lands on next. Only
 * for the token the browser last held (the current one, or one rotated within the reuse grace
 * before the end): an older copy, say one lifted from a backup, learns nothing.
 */
export async function findEndedSessionReason(
  deps: { db: Pick<Db, "refreshToken">; config: Deps["config"] },
  token: string,
): Promise<RevocationReason | null> {
  const row = await deps.db.refreshToken.findUnique({
    where: { tokenHash: sha256(token) },
    select: { rotatedAt: true, session: { select: { revokedAt: true, revokedReason: true } } },
  });
  const ended = row?.session.revokedAt;
  if (!row || !ended) return null;
  if (row.rotatedAt && ended.getTime() - row.rotatedAt.getTime() > deps.config.REFRESH_REUSE_GRACE) return null;
  const reason = row.session.revokedReason;
  return (REVOCATION_REASONS as readonly string[]).includes(reason ?? "") ? (reason as RevocationReason) : null;
}

class LostRace extends Error {}

export async function rotateRefreshToken(
  deps: SessionDeps,
  presented: string,
  meta: { address: string | null; userAgent: string | null },
): Promise<RefreshResult> {
  const { db } = deps;
  const { REFRESH_REUSE_GRACE: grace, REFRESH_IDLE_TTL: idle } = deps.config;
  const row = await db.refreshToken.findUnique({
    where: { tokenHash: sha256(presented) },
    select: {
      generation: true,
      rotatedAt: true,
      session: {
        select: {
          id: true,
          rotationSecret: true,
          generation: true,
          expiresAt: true,
          lastUsedAt: true,
          revokedAt: true,
          impersonatorId: true,
          user: { select: USER_SELECT },
        },
      },
    },
  });
  if (!row) return { ok: false, reason: "unknown" };
  const { session } = row;
  const ids = { sessionId: session.id, userId: session.user.id };
  const now = deps.clock.now();
  if (session.revokedAt) return { ok: false, reason: "revoked", ...ids };
  if (session.user.disabled) {
    await revokeSessions(deps, { sessionId: session.id }, "account_disabled");
    return { ok: false, reason: "disabled", ...ids };
  }
  if (session.expiresAt <= now || session.lastUsedAt.getTime() + idle <= now.getTime()) {
    await revokeSessions(deps, { sessionId: session.id }, "expired");
    return { ok: false, reason: "expired", ...ids };
  }
  const { impersonatorId } = session;
  if (impersonatorId && !(await activeImpersonator(db, impersonatorId))) {
    await revokeSessions(deps, { sessionId: session.id }, "impersonation_ended");
    return { ok: false, reason: "revoked", ...ids };
  }
  const user = toSessionUser(session.user);

  if (row.rotatedAt === null) {
    const next = nextToken(session.rotationSecret, presented);
    try {
      await db.$transaction(async (tx) => {
        const consumed = await tx.refreshToken.updateMany({
          where: { tokenHash: sha256(presented), rotatedAt: null },
          data: { rotatedAt: now },
        });
        if (consumed.count !== 1) throw new LostRace();
        const advanced = await tx.session.updateMany({
          where: { id: session.id, generation: row.generation, revokedAt: null },
          data: { generation: row.generation + 1, lastUsedAt: now, address: meta.address, userAgent: meta.userAgent },
        });
        if (advanced.count !== 1) throw new LostRace();
        await tx.refreshToken.create({
          data: { tokenHash: sha256(next), sessionId: session.id, generation: row.generation + 1, createdAt: now },
        });
        if (!impersonatorId) await markSeen({ db: tx }, user.id, now);
      });
      const expiresAt = refreshExpiry(deps, session, now);
      return { ok: true, sessionId: session.id, refreshToken: next, user, expiresAt, graced: false, impersonatorId };
    } catch (e) {
      if (!(e instanceof LostRace)) throw e;
    }
  }
  return answerRotated(deps, presented, row.generation, session.rotationSecret, { user, impersonatorId }, grace, now);
}

/** The presented token was already consumed: inside the grace window, hand out the current one. */
async function answerRotated(
  deps: SessionDeps,
  presented: string,
  generation: number,
  secret: string,
  owner: { user: SessionUser; impersonatorId: string | null },
  grace: number,
  now: Date,
): Promise<RefreshResult> {
  const current = await deps.db.refreshToken.findUnique({
    where: { tokenHash: sha256(presented) },
    select: { rotatedAt: true, session: { select: { id: true, generation: true, revokedAt: true, expiresAt: true } } },
  });
  const session = current?.session;
  if (!current || !session) return { ok: false, reason: "unknown" };
  const ids = { sessionId: session.id, userId: owner.user.id };
  if (session.revokedAt) return { ok: false, reason: "revoked", ...ids };
  const rotatedAt = current.rotatedAt ?? now;
  if (now.getTime() - rotatedAt.getTime() > grace) {
    await revokeSessions(deps, { sessionId: session.id }, "refresh_token_reuse");
    return { ok: false, reason: "reuse", ...ids };
  }
  let token = presented;
  for (let g = generation; g < session.generation; g++) token = nextToken(secret, token);
  // A chain restarted by reissueRefreshToken cannot be derived from a token before the restart.
  const live = await deps.db.refreshToken.findUnique({ where: { tokenHash: sha256(token) }, select: { sessionId: true } });
  if (live?.sessionId !== session.id) return { ok: false, reason: "unknown" };
  const expiresAt = refreshExpiry(deps, session, now);
  return { ok: true, sessionId: session.id, refreshToken: token, expiresAt, graced: true, ...owner };
}

/**
 * Restarts a session's refresh chain with a token not derived from the last one, and returns it.
 * Impersonation needs this: the admin's browser sends its refresh cookie only to /api/auth, so
 * the impersonation endpoint cannot move it aside; it hands the admin a new one instead (the
 * return cookie), while the old one, about to be overwritten in the browser, stops working.
 * Null when the session is no longer live. Pass a transaction as `db` to commit with other writes.
 */
export async function reissueRefreshToken(
  deps: { db: Pick<Db, "session" | "refreshToken">; clock: Deps["clock"] },
  sessionId: string,
): Promise<string | null> {
  const now = deps.clock.now();
  const session = await deps.db.session.findUnique({ where: { id: sessionId }, select: { generation: true, revokedAt: true } });
  if (!session || session.revokedAt) return null;
  const generation = session.generation + 1;
  const advanced = await deps.db.session.updateMany({
    where: { id: sessionId, generation: session.generation, revokedAt: null },
    data: { generation, lastUsedAt: now },
  });
  if (advanced.count !== 1) return null;
  await deps.db.refreshToken.updateMany({ where: { sessionId, rotatedAt: null }, data: { rotatedAt: now } });
  const token = randomToken();
  await deps.db.refreshToken.create({
    data: { tokenHash: sha256(token), sessionId, generation, createdAt: now },
    select: { tokenHash: true },
  });
  return token;
}

/** A `where` for sessions that are live at `now`: not revoked, not past their end, not idle too long. */
export function liveSessionWhere(deps: Pick<Deps, "config">, now: Date) {
  return { revokedAt: null, expiresAt: { gt: now }, lastUsedAt: { gt: new Date(now.getTime() - deps.config.REFRESH_IDLE_TTL) } };
}

/**
 * An impersonation lasts only while its admin is one: a demoted, disabled or deleted admin's
 * impersonations end with their authority. One more read, for impersonation sessions only.
 */
export async function activeImpersonator(db: Pick<Db, "user">, id: string): Promise<{ id: string; username: string } | null> {
  const admin = await db.user.findUnique({ where: { id }, select: { username: true, role: true, disabled: true } });
  return admin?.role === "admin" && !admin.disabled ? { id, username: admin.username } : null;
}
