// `npm run db:seed`: fills a database with realistic accounts, sessions and a hash-chained audit
// history, fast enough for 100k accounts and a million events in well under a minute. The plan is
// drawn from a seeded generator (seed-plan.ts), chained onto the head the database has
// (seed-rows.ts), and written in one transaction that holds the head (seed-store.ts).
import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import { applyMigrations } from "@/lib/db/migrate";
import { type DbProvider, parseDbUrl } from "@/lib/db/url";
import { DAY, planSeed } from "./seed-plan";
import { openPostgresSeedStore } from "./seed-postgres";
import { createRng } from "./seed-random";
import { chainedEvents } from "./seed-rows";
import { openSqliteSeedStore } from "./seed-sqlite";
import type { SeedStore } from "./seed-store";

export type SeedOptions = {
  users: number;
  /** Same seed, same accounts and history (relative to `now`); random when absent. */
  seed?: string;
  now?: Date;
  /** The hash every seeded account shares is of a random password nobody is told. */
  bcryptCost?: number;
  refreshTokenTtl?: number;
  eventBatch?: number;
};

export type SeedResult = {
  provider: DbProvider;
  seed: string;
  users: number;
  admins: number;
  disabled: number;
  sessions: number;
  events: number;
  firstSeq: number;
  lastSeq: number;
  /** The seeded history's time window. */
  from: Date;
  to: Date;
  ms: { migrate: number; hash: number; plan: number; accounts: number; events: number; total: number };
};

const HISTORY = 730 * DAY;

function openStore(databaseUrl: string): Promise<SeedStore> | SeedStore {
  const target = parseDbUrl(databaseUrl);
  return target.provider === "sqlite" ? openSqliteSeedStore(target.file) : openPostgresSeedStore(target);
}

export async function seedDatabase(databaseUrl: string, opts: SeedOptions): Promise<SeedResult> {
  if (!Number.isInteger(opts.users) || opts.users < 1) throw new Error("users must be a positive whole number");
  const started = performance.now();
  let mark = started;
  const lap = () => {
    const now = performance.now();
    const ms = Math.round(now - mark);
    mark = now;
    return ms;
  };
  const seed = opts.seed ?? randomBytes(4).toString("hex");

  await applyMigrations(databaseUrl);
  const migrate = lap();
  const passwordHash = await bcrypt.hash(randomBytes(24).toString("base64url"), opts.bcryptCost ?? 12);
  const hash = lap();

  const { provider } = parseDbUrl(databaseUrl);
  const store = await openStore(databaseUrl);
  try {
    const { head, taken } = await store.begin();
    // The chain's createdAt never goes backwards: the history starts after the newest event there
    // is (on an empty log the head is at the epoch, so it spans the full two years).
    const end = Math.max((opts.now ?? new Date()).getTime(), head.lastAt.getTime() + 60_000);
    const start = Math.max(end - HISTORY, head.lastAt.getTime() + 1);
    const plan = planSeed({
      users: opts.users,
      rng: createRng(`${seed}:plan`),
      start,
      end,
      taken,
      refreshTokenTtl: opts.refreshTokenTtl ?? 30 * DAY,
    });
    const planMs = lap();
    await store.insertAccounts(plan, passwordHash);
    const accounts = lap();

    const firstSeq = head.seq + 1;
    // One batch in flight while the next is hashed (PostgreSQL; SQLite writes synchronously).
    let pending: Promise<void> = Promise.resolve();
    // Large statements suit PostgreSQL; SQLite takes rows one by one, and smaller batches leave less for the GC.
    const batchSize = opts.eventBatch ?? (provider === "sqlite" ? 1_000 : 5_000);
    for (const batch of chainedEvents(plan, head, createRng(`${seed}:events`), batchSize)) {
      await pending;
      pending = store.insertEvents(batch);
    }
    await pending;
    await store.commit(head);
    const events = lap();
    return {
      provider,
      seed,
      users: plan.users.length,
      admins: plan.users.filter((u) => u.role === "admin").length,
      disabled: plan.users.filter((u) => u.disabled).length,
      sessions: plan.sessions.length,
      events: plan.events.length,
      firstSeq,
      lastSeq: head.seq,
      from: new Date(start),
      to: new Date(end),
      ms: { migrate, hash, plan: planMs, accounts, events, total: Math.round(performance.now() - started) },
    };
  } catch (e) {
    await store.rollback();
    throw e;
  } finally {
    await store.close();
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The one line the command prints: counts and where the time went, nothing secret. */
export function describeSeed(r: SeedResult): string {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return (
    `db:seed: ${r.users} accounts (${r.admins} admins, ${r.disabled} disabled), ${r.sessions} sessions, ` +
    `${r.events} audit events (seq ${r.firstSeq}–${r.lastSeq}, ${day(r.from)} to ${day(r.to)}) on ${r.provider} in ${seconds(r.ms.total)} ` +
    `(migrate ${seconds(r.ms.migrate)}, bcrypt ${seconds(r.ms.hash)}, plan ${seconds(r.ms.plan)}, accounts ${seconds(r.ms.accounts)}, ` +
    `events ${seconds(r.ms.events)}); --seed ${r.seed}`
  );
}
