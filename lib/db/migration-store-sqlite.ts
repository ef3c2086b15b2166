import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { MigrationStore } from "./migration-store";
import { type Migration, pendingMigrations, type RecordedMigration } from "./migrations";

// Prisma's own DDL for SQLite, from its schema engine.
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

// Another process migrating holds the write lock for as long as its migration takes.
const LOCK_WAIT_MS = 60_000;

/** The text Prisma's SQLite adapter writes for a DateTime (iso8601 with an explicit offset). */
function timestamp(): string {
  return new Date().toISOString().replace("Z", "+00:00");
}

type Row = { migration_name: string; checksum: string; finished_at: unknown; rolled_back_at: unknown };

const BUSY_RETRIES = 50;
const BUSY_PAUSE_MS = 100;

function withBusyRetry<T>(fn: () => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (attempt >= BUSY_RETRIES || typeof code !== "string" || !code.startsWith("SQLITE_BUSY")) throw e;
      // Synchronous on purpose, like the rest of this store (see applyNext).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, BUSY_PAUSE_MS);
    }
  }
}

export function openSqliteStore(file: string): MigrationStore {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: LOCK_WAIT_MS });
  try {
    // Two processes opening a new file at once can meet SQLITE_BUSY here without the busy
    // timeout applying (switching the journal mode needs an exclusive lock that SQLite will not
    // wait for when waiting could deadlock); the loser tries again shortly.
    withBusyRetry(() => {
      // WAL persists in the file, so every later connection (the app's included) gets it.
      db.pragma("journal_mode = WAL");
      // Prisma's table-redefinition scripts turn foreign keys off themselves, but that PRAGMA is a
      // no-op inside a transaction, and with keys on, DROP TABLE would cascade-delete child rows.
      // Integrity is checked with foreign_key_check before each commit instead.
      db.pragma("foreign_keys = OFF");
      db.exec(CREATE_TABLE);
    });
  } catch (e) {
    db.close();
    throw e;
  }

  const readRecorded = (): RecordedMigration[] => {
    const rows = db
      .prepare("SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at")
      .all() as Row[];
    return rows.map((row) => ({
      name: row.migration_name,
      checksum: row.checksum,
      finished: row.finished_at !== null,
      rolledBack: row.rolled_back_at !== null,
    }));
  };

  const apply = (migration: Migration): void => {
    const id = randomUUID();
    db.prepare("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)").run(
      id,
      migration.checksum,
      migration.name,
      timestamp(),
    );
    db.exec(migration.sql);
    const broken = db.prepare("PRAGMA foreign_key_check").all();
    if (broken.length > 0) throw new Error(`migration ${migration.name} leaves ${broken.length} broken foreign key(s)`);
    db.prepare("UPDATE _prisma_migrations SET finished_at = ?, applied_steps_count = 1 WHERE id = ?").run(timestamp(), id);
  };

  // Synchronous from BEGIN to COMMIT on purpose: an await inside would let a second run in this
  // same process block the event loop in its busy wait while this one could never finish.
  // IMMEDIATE takes the write lock up front, so another process waits (busy timeout) and then
  // sees this one's rows instead of racing it.
  const step = db.transaction((local: Migration[]): string | undefined => {
    const next = pendingMigrations(local, readRecorded())[0];
    if (next) apply(next);
    return next?.name;
  });

  return {
    async recorded() {
      return readRecorded();
    },
    async applyNext(local) {
      return step.immediate(local);
    },
    async close() {
      db.close();
    },
  };
}
