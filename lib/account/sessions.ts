import UAParser from "ua-parser-js";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/auth/audit";
import { revokeSession } from "@/lib/auth/session-store";

export type SessionDto = { id: string; createdAt: string; lastUsedAt: string; address: string | null; device: string; current: boolean };

/** "Firefox on Linux", "Chrome on Android", or the raw agent's first words for scripts. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const { browser, os } = new UAParser(userAgent).getResult();
  if (browser.name && os.name) return `${browser.name} on ${os.name}`;
  if (browser.name) return browser.name;
  return userAgent.split(/[\s(]/)[0]?.slice(0, 40) || "Unknown device";
}

export async function listSessions(db: Db, userId: string, currentId: string): Promise<SessionDto[]> {
  const rows = await db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ lastUsedAt: "desc" }, { id: "asc" }],
    take: 100,
    select: { id: true, createdAt: true, lastUsedAt: true, address: true, userAgent: true },
  });
  return rows.map((s) => ({
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    address: s.address,
    device: describeDevice(s.userAgent),
    current: s.id === currentId,
  }));
}

type Meta = { address: string; userAgent: string | null };

export async function endSession(db: Db, userId: string, sessionId: string, meta: Meta): Promise<void> {
  // Another user's session id answers exactly like a missing one.
  const owned = await db.session.findFirst({ where: { id: sessionId, userId, revokedAt: null }, select: { id: true } });
  if (!owned) throw new AppError("not_found", { message: "No such session." });
  await revokeSession(db, { id: sessionId }, "signed_out_by_user");
  await audit(db, { type: "session_revoked", userId, actorId: userId, ...meta, detail: { sessionId } });
}

export async function endOtherSessions(db: Db, userId: string, currentId: string, meta: Meta): Promise<number> {
  const count = await revokeSession(db, { userId, exceptId: currentId }, "signed_out_by_user");
  await audit(db, { type: "other_sessions_revoked", userId, actorId: userId, ...meta, detail: { count } });
  return count;
}
