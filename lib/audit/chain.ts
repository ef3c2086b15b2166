// The audit log is a hash chain. Every event stores SHA-256 over its own content and the hash of
// the event before it, and carries the next number of a gapless sequence. Appends go through the
// one-row AuditChain head: the first statement of every append is an UPDATE of that row, which
// takes its lock (PostgreSQL row lock, SQLite's write lock), so writers in every process and on
// every instance append one at a time and produce one chain. `npm run audit:verify` recomputes it.
import { createHash, randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";

export const GENESIS_HASH = "0".repeat(64);

export type ChainWriter = Pick<Db, "auditEvent" | "auditChain">;

/** The columns an event's hash covers, as a Prisma `select` (the readers of the log use it). */
export const CHAINED_COLUMNS = {
  id: true,
  seq: true,
  createdAt: true,
  type: true,
  userId: true,
  actorId: true,
  subject: true,
  address: true,
  userAgent: true,
  detail: true,
} as const;

/** Every column of a stored event: its content and its links in the chain. */
export const EVENT_COLUMNS = { ...CHAINED_COLUMNS, prevHash: true, hash: true } as const;

/** The columns an event's hash covers, in a fixed order. */
export type ChainedContent = {
  seq: number;
  id: string;
  createdAt: Date;
  type: string;
  userId: string | null;
  actorId: string | null;
  subject: string | null;
  address: string | null;
  userAgent: string | null;
  detail: string | null;
};

export function eventHash(e: ChainedContent, prevHash: string): string {
  const canonical = JSON.stringify([
    e.seq,
    e.id,
    e.createdAt.toISOString(),
    e.type,
    e.userId,
    e.actorId,
    e.subject,
    e.address,
    e.userAgent,
    e.detail,
    prevHash,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

export type NewEvent = Omit<ChainedContent, "seq" | "id" | "createdAt">;

// What the hash covers must be exactly what the database gives back. Both drivers store text as
// UTF-8, so a lone surrogate half (which a JSON escape can carry in) comes back as U+FFFD, and
// PostgreSQL refuses NUL outright: either would make an untouched event look edited, or fail the
// write. Such text is stored and hashed as U+FFFD from the start.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what PostgreSQL cannot store.
const UNSTORABLE = /[\p{Cs}\u0000]/gu;
const storable = (text: string | null) => (text === null ? null : text.replace(UNSTORABLE, "\uFFFD"));

/**
 * Appends one event inside `tx` (which must be a transaction: the head's lock is held until it
 * ends). `createdAt` never goes backwards along the chain, so time ranges map onto seq ranges.
 */
export async function appendEvent(tx: ChainWriter, event: NewEvent, now: Date): Promise<{ seq: number; hash: string }> {
  const head = await tx.auditChain.update({
    where: { id: 1 },
    data: { seq: { increment: 1 } },
    select: { seq: true, hash: true, lastAt: true },
  });
  const createdAt = now < head.lastAt ? head.lastAt : now;
  const content: ChainedContent = {
    seq: head.seq,
    id: randomUUID(),
    createdAt,
    type: event.type,
    userId: storable(event.userId),
    actorId: storable(event.actorId),
    subject: storable(event.subject),
    address: storable(event.address),
    userAgent: storable(event.userAgent),
    detail: storable(event.detail),
  };
  const hash = eventHash(content, head.hash);
  await tx.auditEvent.create({ data: { ...content, prevHash: head.hash, hash }, select: { id: true } });
  await tx.auditChain.update({ where: { id: 1 }, data: { hash, lastAt: createdAt }, select: { id: true } });
  return { seq: head.seq, hash };
}
