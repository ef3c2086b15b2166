// The session-validity cache (docs/decisions/0021-auth-caches.md): what the per-request session
// read found, kept for at most TTL_MS, dropped the moment anything that could change it is
// written here, and dropped within milliseconds when it is written on another instance (the
// change feed: PostgreSQL LISTEN/NOTIFY, SQLite's data_version). Only live sessions are cached;
// anything in doubt goes to the database.
import type { Db } from "@/lib/db/client";
import type { SessionUser } from "./session-store";

/** What a live session's read found; liveness against the clock is re-checked on every hit. */
export type CachedSession = {
  userId: string;
  user: SessionUser;
  impersonator: { id: string; username: string } | null;
  expiresAt: Date;
  lastUsedAt: Date;
};

/** What changed: one session, or an account (its sessions, and the impersonations it runs). */
export type Invalidation = { sessionId: string } | { userId: string };

/** The database-side half: how other processes' writes reach this one. */
export type ChangeFeed = {
  /** Whether the feed would deliver a change right now (PostgreSQL: listening); starts it lazily. */
  ready(): boolean;
  /** A number that moves whenever another connection may have written (SQLite); null: unknown, cache nothing. */
  version(): number | null;
  /** Tells the other processes, inside the caller's transaction when `db` is one. */
  publish(db: Publisher, change: Invalidation): Promise<void>;
  close(): Promise<void>;
};
export type Publisher = Pick<Db, "$executeRaw">;

/** The backstop: a hit is never older than this, whatever the feed missed. */
export const SESSION_CACHE_TTL_MS = 500;
const MAX_ENTRIES = 10_000;
/**
 * A local invalidation runs before its transaction commits; until then a concurrent read still
 * sees the old row. Reads of the session or account stay uncached this long (longer than any
 * interactive transaction may stay open: Prisma's maxWait 2 s + timeout 5 s).
 */
const PENDING_MS = 10_000;
const MAX_PENDING = 10_000;

type Entry = { value: CachedSession; freshUntil: number };
/** Taken before the database read; a fill is accepted only if nothing was invalidated since. */
export type Ticket = { epoch: number; version: number | null; at: number } | null;

export class SessionCache {
  readonly #feed: ChangeFeed;
  readonly #monotonic: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, number>();
  #allPendingUntil = 0;
  #epoch = 0;
  #version: number | null = null;

  constructor(feed: ChangeFeed, opts: { monotonic?: () => number } = {}) {
    this.#feed = feed;
    this.#monotonic = opts.monotonic ?? (() => performance.now());
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached read of a session, or undefined: ask the database. */
  get(sessionId: string): CachedSession | undefined {
    // First: a moved version empties the cache before anything is read from it.
    if (!this.#current()) return undefined;
    const entry = this.#entries.get(sessionId);
    if (!entry) return undefined;
    this.#entries.delete(sessionId);
    if (this.#monotonic() >= entry.freshUntil) return undefined;
    this.#entries.set(sessionId, entry);
    return entry.value;
  }

  /** Call before reading the session from the database; pass the result to put(). */
  begin(): Ticket {
    if (!this.#current()) return null;
    return { epoch: this.#epoch, version: this.#version, at: this.#monotonic() };
  }

  put(ticket: Ticket, sessionId: string, value: CachedSession): void {
    if (!ticket || ticket.epoch !== this.#epoch || !this.#current() || ticket.version !== this.#version) return;
    const now = this.#monotonic();
    if (now < this.#allPendingUntil || this.#isPending(`s:${sessionId}`, now) || this.#isPending(`u:${value.userId}`, now)) return;
    if (value.impersonator && this.#isPending(`u:${value.impersonator.id}`, now)) return;
    // Fresh from the ticket's time, not the fill's: the read may have seen the row as it was then.
    this.#entries.set(sessionId, { value, freshUntil: ticket.at + SESSION_CACHE_TTL_MS });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= MAX_ENTRIES) break;
      this.#entries.delete(oldest);
    }
  }

  /**
   * Every write that ends a session or changes what a principal carries calls this, inside its
   * transaction: dropped here at once, held back from refilling until it commits, and published
   * to the other processes (PostgreSQL delivers NOTIFY only when the transaction commits).
   */
  async invalidate(db: Publisher, change: Invalidation): Promise<void> {
    this.#drop(change, true);
    await this.#feed.publish(db, change);
  }

  /** A change another process made (the feed's message), already committed. */
  received(change: Invalidation): void {
    this.#drop(change, false);
  }

  /** Forget everything (the feed lost its connection, or a message could not be read). */
  clear(): void {
    this.#epoch++;
    this.#entries.clear();
  }

  close(): Promise<void> {
    this.clear();
    return this.#feed.close();
  }

  /** Whether the feed can be trusted now; a moved version empties the cache. */
  #current(): boolean {
    if (!this.#feed.ready()) {
      if (this.#entries.size > 0) this.clear();
      return false;
    }
    const version = this.#feed.version();
    if (version === null) {
      this.clear();
      return false;
    }
    if (version !== this.#version) {
      this.clear();
      this.#version = version;
    }
    return true;
  }

  #drop(change: Invalidation, pending: boolean): void {
    this.#epoch++;
    const now = this.#monotonic();
    if ("sessionId" in change) {
      this.#entries.delete(change.sessionId);
      if (pending) this.#hold(`s:${change.sessionId}`, now);
      return;
    }
    for (const [id, entry] of this.#entries) {
      if (entry.value.userId === change.userId || entry.value.impersonator?.id === change.userId) this.#entries.delete(id);
    }
    if (pending) this.#hold(`u:${change.userId}`, now);
  }

  #hold(key: string, now: number): void {
    if (this.#pending.size >= MAX_PENDING) {
      for (const [k, until] of this.#pending) if (until <= now) this.#pending.delete(k);
    }
    // Too many at once to track one by one: hold every fill back instead (fail closed).
    if (this.#pending.size >= MAX_PENDING) {
      this.#pending.clear();
      this.#allPendingUntil = now + PENDING_MS;
      return;
    }
    this.#pending.set(key, now + PENDING_MS);
  }

  #isPending(key: string, now: number): boolean {
    const until = this.#pending.get(key);
    if (until === undefined) return false;
    if (until > now) return true;
    this.#pending.delete(key);
    return false;
  }
}

/** A feed that is never ready: nothing is cached (tests that write rows behind the store's back). */
export const NO_FEED: ChangeFeed = {
  ready: () => false,
  version: () => null,
  publish: async () => undefined,
  close: async () => undefined,
};

/** A feed for a single process with no other writers (unit tests of the cache itself). */
export function localFeed(): ChangeFeed {
  return { ready: () => true, version: () => 0, publish: async () => undefined, close: async () => undefined };
}
