// Admin operations on accounts. Writes run under one lock (an advisory lock on PostgreSQL; SQLite
// serialises writers already) and re-read the rows inside it, so two admins demoting each other
// at once leave exactly one admin rather than none.
import type { Db } from "@/lib/db/client";
import { dbProvider } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/auth/audit";
import { asRole } from "@/lib/auth/session-store";
import { decodeCursor, encodeCursor } from "./cursor";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export type AdminUserDto = {
  id: string;
  username: string;
  email: string | null;
  role: "user" | "admin";
  disabled: boolean;
  createdAt: string;
  lastSeenAt: string | null;
  activeSessions: number;
};
type Actor = { actorId: string | null; address: string | null; userAgent: string | null };

const ADMIN_WRITE_LOCK = 7270001;

async function withAdminLock<T>(db: Db, actorId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    if (dbProvider(env().DATABASE_URL) === "postgresql") await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${ADMIN_WRITE_LOCK})`);
    // The actor's authority is read again under the lock: an admin demoted by a concurrent
    // request a moment ago cannot complete a write it was authorised for before.
    if (actorId !== null) {
      const actor = await tx.user.findUnique({ where: { id: actorId }, select: { role: true, disabled: true } });
      if (!actor || actor.role !== "admin" || actor.disabled) throw new AppError("forbidden");
    }
    return fn(tx);
  });
}

export async function listUsers(db: Db, query: { q?: string; cursor?: string; limit: number }): Promise<{ users: AdminUserDto[]; nextCursor: string | null }> {
  const now = new Date();
  const q = query.q?.trim().toLowerCase();
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await db.user.findMany({
    where: {
      ...(q ? { OR: [{ username: { contains: q } }, { email: { contains: q } }] } : {}),
      ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    select: {
      id: true,
      username: true,
      email: true,
      role: true,
      disabled: true,
      createdAt: true,
      sessions: { where: { revokedAt: null, expiresAt: { gt: now } }, select: { lastUsedAt: true }, orderBy: { lastUsedAt: "desc" } },
    },
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    users: page.map((u) => ({
      id: u.id,
      username: u.username,
      email: u.email,
      role: asRole(u.role),
      disabled: u.disabled,
      createdAt: u.createdAt.toISOString(),
      lastSeenAt: u.sessions[0]?.lastUsedAt.toISOString() ?? null,
      activeSessions: u.sessions.length,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}

async function otherActiveAdmins(tx: Tx, userId: string): Promise<number> {
  return tx.user.count({ where: { role: "admin", disabled: false, id: { not: userId } } });
}

export async function updateUser(db: Db, userId: string, patch: { role?: "user" | "admin"; disabled?: boolean }, actor: Actor) {
  const { before, after } = await withAdminLock(db, actor.actorId, async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: { role: true, disabled: true } });
    if (!before) throw new AppError("not_found", { message: "No such user." });
    const losesAdmin = before.role === "admin" && !before.disabled && (patch.role === "user" || patch.disabled === true);
    if (losesAdmin && (await otherActiveAdmins(tx, userId)) === 0) throw new AppError("last_admin");
    const after = await tx.user.update({
      where: { id: userId },
      data: { ...(patch.role ? { role: patch.role } : {}), ...(patch.disabled === undefined ? {} : { disabled: patch.disabled }) },
      select: { id: true, username: true, email: true, role: true, disabled: true, createdAt: true },
    });
    if (patch.disabled === true && !before.disabled) {
      await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: "account_disabled" } });
    }
    return { before, after };
  });
  const meta = { userId, actorId: actor.actorId, address: actor.address, userAgent: actor.userAgent };
  if (patch.role && patch.role !== before.role) await audit(db, { type: "role_changed", ...meta, detail: { from: before.role, to: patch.role } });
  if (patch.disabled !== undefined && patch.disabled !== before.disabled) await audit(db, { type: patch.disabled ? "user_disabled" : "user_enabled", ...meta });
  return { ...after, role: asRole(after.role), createdAt: after.createdAt.toISOString() };
}

export async function deleteUser(db: Db, userId: string, actor: Actor): Promise<void> {
  if (userId === actor.actorId) throw new AppError("cannot_delete_self");
  const username = await withAdminLock(db, actor.actorId, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { role: true, disabled: true, username: true } });
    if (!user) throw new AppError("not_found", { message: "No such user." });
    if (user.role === "admin" && !user.disabled && (await otherActiveAdmins(tx, userId)) === 0) throw new AppError("last_admin");
    await tx.user.delete({ where: { id: userId }, select: { id: true } });
    return user.username;
  });
  await audit(db, { type: "user_deleted", actorId: actor.actorId, subject: username, address: actor.address, userAgent: actor.userAgent, detail: { userId } });
}

export async function revokeUserSessions(db: Db, userId: string, actor: Actor): Promise<number> {
  const exists = await db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!exists) throw new AppError("not_found", { message: "No such user." });
  const { count } = await db.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: "revoked_by_admin" } });
  await audit(db, { type: "sessions_revoked_by_admin", userId, actorId: actor.actorId, address: actor.address, userAgent: actor.userAgent, detail: { count } });
  return count;
}
