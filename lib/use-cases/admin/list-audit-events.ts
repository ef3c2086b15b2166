// The admin console's audit log: newest first, filtered by type and user, cursor-paginated.
import type { Deps } from "@/lib/deps";
import { decodeCursor, encodeCursor } from "./cursor";

export type AuditEventDto = {
  id: string;
  createdAt: string;
  type: string;
  userId: string | null;
  username: string | null;
  actorUsername: string | null;
  subject: string | null;
  address: string | null;
  userAgent: string | null;
  detail: unknown;
};

function parseDetail(detail: string | null): unknown {
  if (detail === null) return null;
  try {
    return JSON.parse(detail);
  } catch {
    return null;
  }
}

export type ListAuditEventsInput = { cursor?: string; type?: string; user?: string; limit: number };

/** Newest first. `user` is a username (or an id); for names with no account it matches the attempted name. */
export async function listAuditEvents(deps: Deps, query: ListAuditEventsInput) {
  const { db } = deps;
  const before = query.cursor ? decodeCursor(query.cursor) : undefined;
  let userFilter = {};
  if (query.user) {
    const name = query.user.toLowerCase();
    const found = await db.user.findFirst({ where: { OR: [{ username: name }, { id: query.user }] }, select: { id: true } });
    userFilter = found ? { OR: [{ userId: found.id }, { actorId: found.id }] } : { subject: name };
  }
  const rows = await db.auditEvent.findMany({
    where: {
      AND: [
        query.type ? { type: query.type } : {},
        userFilter,
        before ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] } : {},
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    select: {
      id: true,
      createdAt: true,
      type: true,
      userId: true,
      actorId: true,
      subject: true,
      address: true,
      userAgent: true,
      detail: true,
      user: { select: { username: true } },
    },
  });
  const page = rows.slice(0, query.limit);
  const actorIds = [...new Set(page.map((r) => r.actorId).filter((id): id is string => id !== null))];
  const actors = actorIds.length ? await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, username: true } }) : [];
  const actorName = new Map(actors.map((a) => [a.id, a.username]));
  const last = page.at(-1);
  return {
    events: page.map<AuditEventDto>((r) => ({
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      type: r.type,
      userId: r.userId,
      username: r.user?.username ?? null,
      actorUsername: r.actorId ? (actorName.get(r.actorId) ?? null) : null,
      subject: r.subject,
      address: r.address,
      userAgent: r.userAgent,
      detail: parseDetail(r.detail),
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}
