// The admin console's audit log: newest first (seq descending), filtered by type, user, actor and
// time, with a seq cursor. Every filter is one index range: (type, seq), (userId, seq),
// (actorId, seq) or (subject, seq), and a time range becomes a seq range through the createdAt
// index, because createdAt never goes backwards along the chain (lib/audit/chain.ts).
import { z } from "zod";
import { CHAINED_COLUMNS } from "@/lib/audit/chain";
import type { Deps } from "@/lib/deps";
import type { Prisma } from "@/lib/generated/sqlite/client";
import type { AuditFilters } from "@/lib/validation/queries";
import { decodeCursor, encodeCursor } from "./cursor";

export type AuditAccountDto = { id: string; username: string | null };

export type AuditEventDto = {
  id: string;
  seq: number;
  createdAt: string;
  type: string;
  /** The account the event is about; `username` is null once the account is deleted. */
  user: AuditAccountDto | null;
  /** Who acted: the user themself, an admin, or an admin impersonating the user. */
  actor: AuditAccountDto | null;
  /** The name tried, for attempts that named no account. */
  subject: string | null;
  address: string | null;
  userAgent: string | null;
  detail: unknown;
};

export type ListAuditEventsInput = AuditFilters & { cursor?: string; limit: number };

const seqCursor = z.tuple([z.number().int().positive()]);

type EventRow = Prisma.AuditEventGetPayload<{ select: typeof CHAINED_COLUMNS }>;

function parseDetail(detail: string | null): unknown {
  if (detail === null) return null;
  try {
    return JSON.parse(detail);
  } catch {
    return null;
  }
}

/** An id, or else a username, to an account id; null when neither names an account. */
async function resolveAccount(deps: Deps, idOrName: string): Promise<string | null> {
  const found = await deps.db.user.findFirst({ where: { OR: [{ id: idOrName }, { username: idOrName }] }, select: { id: true } });
  return found?.id ?? null;
}

/** The seq range [from, to] covers, or null when no event lies in it. */
async function seqRange(deps: Deps, from?: Date, to?: Date): Promise<{ gte?: number; lte?: number } | null> {
  const range: { gte?: number; lte?: number } = {};
  if (from) {
    const first = await deps.db.auditEvent.findFirst({
      where: { createdAt: { gte: from } },
      orderBy: [{ createdAt: "asc" }, { seq: "asc" }],
      select: { seq: true },
    });
    if (!first) return null;
    range.gte = first.seq;
  }
  if (to) {
    const last = await deps.db.auditEvent.findFirst({
      where: { createdAt: { lte: to } },
      orderBy: [{ createdAt: "desc" }, { seq: "desc" }],
      select: { seq: true },
    });
    if (!last) return null;
    range.lte = last.seq;
  }
  if (range.gte !== undefined && range.lte !== undefined && range.gte > range.lte) return null;
  return range;
}

/** The filters as one `where`, or null when they can match nothing. */
export async function auditWhere(deps: Deps, filters: AuditFilters): Promise<Prisma.AuditEventWhereInput | null> {
  const where: Prisma.AuditEventWhereInput = {};
  if (filters.type) where.type = filters.type;
  if (filters.user) {
    const id = await resolveAccount(deps, filters.user);
    // A name with no account: the attempts made with it (failed logins, registrations).
    if (id) where.userId = id;
    else where.subject = filters.user;
  }
  if (filters.actor) {
    const id = await resolveAccount(deps, filters.actor);
    if (!id) return null;
    where.actorId = id;
  }
  if (filters.from || filters.to) {
    const range = await seqRange(deps, filters.from, filters.to);
    if (!range) return null;
    where.seq = range;
  }
  return where;
}

/** Adds usernames for the accounts a page of events names (one query). */
export async function toEventDtos(deps: Deps, rows: EventRow[]): Promise<AuditEventDto[]> {
  const ids = [...new Set(rows.flatMap((r) => [r.userId, r.actorId]).filter((id): id is string => id !== null))];
  const names = ids.length ? await deps.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, username: true } }) : [];
  const nameOf = new Map(names.map((a) => [a.id, a.username]));
  const account = (id: string | null): AuditAccountDto | null => (id ? { id, username: nameOf.get(id) ?? null } : null);
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    createdAt: r.createdAt.toISOString(),
    type: r.type,
    user: account(r.userId),
    actor: account(r.actorId),
    subject: r.subject,
    address: r.address,
    userAgent: r.userAgent,
    detail: parseDetail(r.detail),
  }));
}

async function pageOf(deps: Deps, where: Prisma.AuditEventWhereInput, beforeSeq: number | undefined, take: number) {
  const seq = { ...(typeof where.seq === "object" ? where.seq : {}), ...(beforeSeq !== undefined ? { lt: beforeSeq } : {}) };
  return deps.db.auditEvent.findMany({ where: { ...where, seq }, orderBy: { seq: "desc" }, take, select: CHAINED_COLUMNS });
}

export async function listAuditEvents(
  deps: Deps,
  query: ListAuditEventsInput,
): Promise<{ events: AuditEventDto[]; nextCursor: string | null }> {
  const before = query.cursor ? decodeCursor(query.cursor, seqCursor)[0] : undefined;
  const where = await auditWhere(deps, query);
  if (!where) return { events: [], nextCursor: null };
  const rows = await pageOf(deps, where, before, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    events: await toEventDtos(deps, page),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.seq]) : null,
  };
}

/** Every event the filters match, newest first, a batch at a time (the export streams these). */
export async function* eachAuditEvent(deps: Deps, filters: AuditFilters, batch = 1_000): AsyncGenerator<AuditEventDto[]> {
  const where = await auditWhere(deps, filters);
  if (!where) return;
  let before: number | undefined;
  for (;;) {
    const rows = await pageOf(deps, where, before, batch);
    if (rows.length === 0) return;
    yield await toEventDtos(deps, rows);
    if (rows.length < batch) return;
    before = rows[rows.length - 1]?.seq;
  }
}

/** The latest events about an account or done by it (its detail page): two index ranges, merged. */
export async function eventsOfAccount(deps: Deps, userId: string, limit = 50): Promise<AuditEventDto[]> {
  const [about, by] = await Promise.all([pageOf(deps, { userId }, undefined, limit), pageOf(deps, { actorId: userId }, undefined, limit)]);
  const merged = new Map([...about, ...by].map((r) => [r.seq, r]));
  return toEventDtos(deps, [...merged.values()].sort((a, b) => b.seq - a.seq).slice(0, limit));
}
