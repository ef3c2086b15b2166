// Walks the audit log in seq order and checks the hash chain (lib/audit/chain.ts), one batch at a
// time so memory stays flat however long the log is. Only the previous event is kept: every check
// compares an event with its predecessor, the first with the retention cut recorded in the head,
// and the last with the head. `npm run audit:verify` runs it over a raw-driver snapshot.
import type { Db } from "@/lib/db/client";
import { type ChainedContent, EVENT_COLUMNS, eventHash } from "./chain";

export type StoredEvent = ChainedContent & { prevHash: string; hash: string };

export type ChainHead = { seq: number; hash: string; prunedThroughSeq: number; prunedThroughHash: string };

/** Read access to the log. A `consistent` reader sees one snapshot; any other is re-checked when the head moves. */
export type AuditReader = {
  readonly consistent: boolean;
  head(): Promise<ChainHead | null>;
  /** The event with the lowest seq, if any. */
  lowest(): Promise<{ seq: number; id: string } | null>;
  /** How many events have seq <= `seq`. */
  countThrough(seq: number): Promise<number>;
  /** Up to `limit` events with seq > `seq`, ascending. */
  after(seq: number, limit: number): Promise<StoredEvent[]>;
};

export type BrokenEvent = {
  seq: number;
  /** Null where the event that should be there is missing. */
  id: string | null;
  reason: string;
};

export type VerifyResult = {
  ok: boolean;
  /** Events whose place in the chain was checked. */
  checked: number;
  /** Events at or before the head's retention cut: written before the chain began, or kept past a cut. */
  notCovered: number;
  /** The seq range checked, when any event was. */
  range: { first: number; last: number } | null;
  firstBroken?: BrokenEvent;
};

export type VerifyOptions = { batchSize?: number };

const DEFAULT_BATCH = 5_000;
const short = (hash: string) => (hash ? `${hash.slice(0, 12)}…` : "(empty)");

/** The log through Prisma: no snapshot, so the walk re-reads the head when it sees the log move. */
export function prismaAuditReader(db: Pick<Db, "auditEvent" | "auditChain">): AuditReader {
  const chainColumns = { seq: true, hash: true, prunedThroughSeq: true, prunedThroughHash: true } as const;
  return {
    consistent: false,
    head: () => db.auditChain.findUnique({ where: { id: 1 }, select: chainColumns }),
    lowest: () => db.auditEvent.findFirst({ orderBy: { seq: "asc" }, select: { seq: true, id: true } }),
    countThrough: (seq) => db.auditEvent.count({ where: { seq: { lte: seq } } }),
    after: (seq, limit) =>
      db.auditEvent.findMany({ where: { seq: { gt: seq } }, orderBy: { seq: "asc" }, take: limit, select: EVENT_COLUMNS }),
  };
}

function isReader(source: unknown): source is AuditReader {
  return typeof (source as AuditReader).after === "function" && typeof (source as AuditReader).head === "function";
}

class Broken extends Error {
  constructor(readonly event: BrokenEvent) {
    super(event.reason);
  }
}

/** Checks the whole chain; `firstBroken` names the earliest event that cannot be trusted. */
export async function verifyAuditChain(source: Db | AuditReader, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const reader = isReader(source) ? source : prismaAuditReader(source);
  const batch = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
  for (let attempt = 1; ; attempt++) {
    const head = await reader.head();
    const result = await walk(reader, head, batch);
    if (result.ok || reader.consistent || attempt >= 3) return result;
    // Without a snapshot, a retention cut made during the walk looks like deleted events: walk
    // again from the new cut. A log that was not cut meanwhile is broken as reported.
    const now = await reader.head();
    if (now?.prunedThroughSeq === head?.prunedThroughSeq) return result;
  }
}

async function walk(reader: AuditReader, startHead: ChainHead | null, batch: number): Promise<VerifyResult> {
  const result: VerifyResult = { ok: true, checked: 0, notCovered: 0, range: null };
  try {
    if (!startHead) throw new Broken({ seq: 0, id: null, reason: "the chain head (AuditChain row 1) is missing" });
    let head = startHead;
    const cut = head.prunedThroughSeq;
    const lowest = await reader.lowest();
    if (lowest && lowest.seq < 1) {
      throw new Broken({ seq: lowest.seq, id: lowest.id, reason: `seq ${lowest.seq} is not a position in the chain (seqs start at 1)` });
    }
    result.notCovered = await reader.countThrough(cut);
    let prev: { seq: number; id: string | null; hash: string } = { seq: cut, id: null, hash: head.prunedThroughHash };
    for (let rounds = 0; ; rounds++) {
      let pending = reader.after(prev.seq, batch);
      for (;;) {
        const rows = await pending;
        const last = rows.length === batch ? rows.at(-1) : undefined;
        // The next batch is read while this one is hashed (a database server works meanwhile).
        if (last) pending = prefetch(reader.after(last.seq, batch));
        for (const row of rows) {
          if (row.seq > head.seq && !reader.consistent) head = (await reader.head()) ?? head;
          checkEvent(row, prev, head, cut);
          result.range = { first: result.range?.first ?? row.seq, last: row.seq };
          result.checked++;
          prev = { seq: row.seq, id: row.id, hash: row.hash };
        }
        if (!last) break;
      }
      if (reader.consistent || rounds >= 5) break;
      // Events appended during the walk moved the head on: check up to where it is now.
      head = (await reader.head()) ?? head;
      if (head.seq <= prev.seq) break;
    }
    checkTail(prev, head);
  } catch (e) {
    if (!(e instanceof Broken)) throw e;
    result.ok = false;
    result.firstBroken = e.event;
  }
  return result;
}

/** A read that may be abandoned when the walk stops early: its failure must not go unhandled. */
function prefetch<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
}

function checkEvent(row: StoredEvent, prev: { seq: number; id: string | null; hash: string }, head: ChainHead, cut: number): void {
  const at = (reason: string) => new Broken({ seq: row.seq, id: row.id, reason });
  if (row.seq > head.seq) {
    throw at(`seq ${row.seq} is beyond the chain head (seq ${head.seq}): this event was not appended through the chain`);
  }
  if (row.seq !== prev.seq + 1) {
    const missing = row.seq === prev.seq + 2 ? `event seq ${prev.seq + 1} is` : `events seq ${prev.seq + 1}–${row.seq - 1} are`;
    throw at(`${missing} missing (deleted) before this event`);
  }
  if (eventHash(row, row.prevHash) !== row.hash) {
    throw at("its content does not match its hash: the event was edited");
  }
  if (row.prevHash === prev.hash) return;
  if (prev.id === null) {
    throw at(
      `its prevHash ${short(row.prevHash)} is not the hash the head records for the events before seq ${cut + 1} (${short(prev.hash)}): ` +
        "the first event was replaced, or events before it were deleted",
    );
  }
  // Both events agree with themselves but not with each other: the earlier one was edited and
  // re-hashed, or replaced; everything before it is still vouched for.
  throw new Broken({
    seq: prev.seq,
    id: prev.id,
    reason: `its hash ${short(prev.hash)} is not the prevHash ${short(row.prevHash)} recorded by the next event (seq ${row.seq}): it was edited and re-hashed, or replaced`,
  });
}

function checkTail(last: { seq: number; id: string | null; hash: string }, head: ChainHead): void {
  if (last.seq < head.seq) {
    const span = last.seq + 1 === head.seq ? `event seq ${head.seq} is` : `events seq ${last.seq + 1}–${head.seq} are`;
    throw new Broken({ seq: last.seq + 1, id: null, reason: `${span} missing: the chain head records seq ${head.seq} as the newest` });
  }
  if (last.hash !== head.hash) {
    const reason =
      last.id === null
        ? `the head's hash ${short(head.hash)} does not match its retention cut (${short(last.hash)})`
        : `its hash ${short(last.hash)} is not the one the chain head records (${short(head.hash)}): it was edited and re-hashed, or replaced`;
    throw new Broken({ seq: last.seq, id: last.id, reason });
  }
}
