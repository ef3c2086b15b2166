import { randomUUID } from "node:crypto";
import pg from "pg";
import type { MigrationStore } from "./migration-store";
import { type Migration, pendingMigrations, type RecordedMigration } from "./migrations";
import { type PostgresTarget, quoteIdent } from "./url";

// Prisma's own DDL for PostgreSQL, from its schema engine.
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

// The key Prisma Migrate itself locks, so this applier and `prisma migrate deploy` exclude each other too.
const ADVISORY_LOCK_KEY = 72707369;

type Row = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

export async function openPostgresStore(target: PostgresTarget): Promise<MigrationStore> {
  const client = new pg.Client({ connectionString: target.connectionString, connectionTimeoutMillis: 10_000 });
  // A dropped connection emits 'error' on the client; unhandled it would crash the process.
  client.on("error", () => undefined);
  await client.connect();
  try {
    // Held for the whole run (session-level): a second process blocks here until the first is done.
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    if (target.schema) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(target.schema)}`);
      await client.query(`SET search_path TO ${quoteIdent(target.schema)}`);
    }
    await client.query(CREATE_TABLE);
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }

  const readRecorded = async (): Promise<RecordedMigration[]> => {
    const { rows } = await client.query<Row>(
      "SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at",
    );
    return rows.map((row) => ({
      name: row.migration_name,
      checksum: row.checksum,
      finished: row.finished_at !== null,
      rolledBack: row.rolled_back_at !== null,
    }));
  };

  const apply = async (migration: Migration): Promise<void> => {
    const id = randomUUID();
    // clock_timestamp(), not now(): now() is frozen at the start of the transaction.
    await client.query(
      "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, clock_timestamp(), 0)",
      [id, migration.checksum, migration.name],
    );
    // No parameters: pg sends it as a simple query, which may hold many statements.
    await client.query(migration.sql);
    await client.query("UPDATE _prisma_migrations SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1", [id]);
  };

  return {
    recorded: readRecorded,
    async applyNext(local) {
      await client.query("BEGIN");
      try {
        const next = pendingMigrations(local, await readRecorded())[0];
        if (next) await apply(next);
        await client.query("COMMIT");
        return next?.name;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      }
    },
    async close() {
      // Ending the session releases the lock anyway; unlocking first just frees it sooner.
      await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
