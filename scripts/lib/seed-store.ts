// What the seeder needs from a database, implemented for SQLite (seed-sqlite.ts) and PostgreSQL
// (seed-postgres.ts) with their raw drivers: Prisma's per-row round trips would take minutes for
// a million rows. Everything between `begin` and `commit` is one transaction holding the audit
// chain's head, so an app writing events meanwhile waits and cannot interleave with the seed.
import { randomBytes } from "node:crypto";
import type { SeedPlan } from "./seed-plan";
import type { ChainHead, EventRow } from "./seed-rows";

export type SeedStore = {
  /** Starts the transaction and locks the chain head; returns it with every username and email in use. */
  begin(): Promise<{ head: ChainHead; taken: Set<string> }>;
  insertAccounts(plan: SeedPlan, passwordHash: string): Promise<void>;
  insertEvents(rows: EventRow[]): Promise<void>;
  /** Moves the head to the last event written and commits. */
  commit(head: ChainHead): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
};

/** One random rotation secret per session (seeded sessions are never resumed, but the column is secret). */
export function rotationSecrets(count: number): string[] {
  const bytes = randomBytes(32 * count);
  return Array.from({ length: count }, (_, i) => bytes.subarray(32 * i, 32 * (i + 1)).toString("base64url"));
}

export const EVENT_COLUMNS = [
  "id",
  "seq",
  "createdAt",
  "type",
  "userId",
  "actorId",
  "subject",
  "address",
  "userAgent",
  "detail",
  "prevHash",
  "hash",
] as const;
export const USER_COLUMNS = [
  "id",
  "username",
  "email",
  "passwordHash",
  "role",
  "disabled",
  "createdAt",
  "updatedAt",
  "passwordChangedAt",
  "emailVerifiedAt",
  "lastSeenAt",
] as const;
export const SESSION_COLUMNS = [
  "id",
  "userId",
  "rotationSecret",
  "generation",
  "createdAt",
  "lastUsedAt",
  "expiresAt",
  "address",
  "userAgent",
  "revokedAt",
  "revokedReason",
] as const;

export const quoted = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(", ");

const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
let day = { start: 0, end: 0, prefix: "" };

/**
 * `new Date(ms).toISOString()` without its "Z", for times after 1970. A million events are written
 * in time order, so the day part is formatted once per day and the rest with table lookups
 * (toISOString was a tenth of the seeder's time).
 */
export function isoWithoutZone(ms: number): string {
  if (ms < day.start || ms >= day.end) {
    const start = ms - (ms % DAY_MS);
    day = { start, end: start + DAY_MS, prefix: new Date(start).toISOString().slice(0, 11) };
  }
  let rest = ms - day.start;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1_000);
  return `${day.prefix}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[rest - s * 1_000]}`;
}
