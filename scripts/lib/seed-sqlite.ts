// The seeder's SQLite store: better-sqlite3 prepared statements inside one BEGIN IMMEDIATE
// transaction, which takes SQLite's write lock first, so the head read at the start is still the
// head at the end. The statements are synchronous; the async shape only matches seed-store.ts.
import Database from "better-sqlite3";
import type { Device } from "./seed-plan";
import type { ChainHead, EventRow } from "./seed-rows";
import { EVENT_COLUMNS, isoWithoutZone, quoted, rotationSecrets, SESSION_COLUMNS, type SeedStore, USER_COLUMNS } from "./seed-store";

// How Prisma's SQLite adapter writes a DateTime (iso8601 with an explicit offset); the app compares
// these as text, so seeded rows must use exactly the same form.
const stamp = (ms: number | Date) => `${isoWithoutZone(typeof ms === "number" ? ms : ms.getTime())}+00:00`;
const maybeStamp = (ms: number | null) => (ms === null ? null : stamp(ms));

/** A head's lastAt as stored: Prisma's form, SQLite's CURRENT_TIMESTAMP form (UTC, no zone) or epoch ms. */
function parseStamp(value: unknown): Date {
  if (typeof value === "number") return new Date(value);
  const text = String(value);
  return new Date(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text) ? `${text.replace(" ", "T")}Z` : text);
}

const insert = (table: string, columns: readonly string[]) =>
  `INSERT INTO "${table}" (${quoted(columns)}) VALUES (${columns.map(() => "?").join(", ")})`;

export function openSqliteSeedStore(file: string): SeedStore {
  const db = new Database(file, { timeout: 5_000 });
  db.pragma("journal_mode = WAL");
  // A million rows and six indexes: a large page cache keeps the index pages in memory until commit.
  db.pragma("cache_size = -2097152");
  // WAL's safe setting: a crash can lose the seed's transaction, never corrupt the file.
  db.pragma("synchronous = NORMAL");
  const eventInsert = db.prepare(insert("AuditEvent", EVENT_COLUMNS));
  return {
    async begin() {
      db.exec("BEGIN IMMEDIATE");
      const head = db.prepare('SELECT "seq", "hash", "lastAt" FROM "AuditChain" WHERE "id" = 1').get() as
        | { seq: number; hash: string; lastAt: unknown }
        | undefined;
      if (!head) throw new Error("the audit chain has no head row (AuditChain id 1); is the database migrated?");
      const taken = new Set<string>();
      for (const row of db.prepare('SELECT "username", "email" FROM "User"').iterate() as Iterable<{
        username: string;
        email: string | null;
      }>) {
        taken.add(row.username);
        if (row.email) taken.add(row.email);
      }
      return { head: { seq: head.seq, hash: head.hash, lastAt: parseStamp(head.lastAt) }, taken };
    },
    async insertAccounts(plan, passwordHash) {
      const user = db.prepare(insert("User", USER_COLUMNS));
      for (const u of plan.users) {
        user.run(
          u.id,
          u.username,
          u.email,
          passwordHash,
          u.role,
          u.disabled ? 1 : 0,
          stamp(u.createdAt),
          stamp(u.updatedAt),
          stamp(u.passwordChangedAt),
          maybeStamp(u.emailVerifiedAt),
          maybeStamp(u.lastSeenAt),
        );
      }
      const session = db.prepare(insert("Session", SESSION_COLUMNS));
      const secrets = rotationSecrets(plan.sessions.length);
      plan.sessions.forEach((s, k) => {
        const owner = plan.users[s.user];
        const device = owner?.devices[s.device] as Device;
        session.run(
          s.id,
          owner?.id,
          secrets[k],
          s.generation,
          stamp(s.createdAt),
          stamp(s.lastUsedAt),
          stamp(s.expiresAt),
          device.address,
          device.userAgent,
          maybeStamp(s.revokedAt),
          s.revokedReason,
        );
      });
    },
    async insertEvents(rows: EventRow[]) {
      for (const e of rows) {
        eventInsert.run(
          e.id,
          e.seq,
          stamp(e.createdAt),
          e.type,
          e.userId,
          e.actorId,
          e.subject,
          e.address,
          e.userAgent,
          e.detail,
          e.prevHash,
          e.hash,
        );
      }
    },
    async commit(head: ChainHead) {
      db.prepare('UPDATE "AuditChain" SET "seq" = ?, "hash" = ?, "lastAt" = ? WHERE "id" = 1').run(head.seq, head.hash, stamp(head.lastAt));
      db.exec("COMMIT");
    },
    async rollback() {
      if (db.inTransaction) db.exec("ROLLBACK");
    },
    async close() {
      db.close();
    },
  };
}
