// Throwaway databases for tests: each test (or file) gets its own, so tests run in parallel and
// leave nothing behind. Not imported by the app.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb, type Db } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import type { DbProvider } from "@/lib/db/url";

/** A maintenance database on the test server, used to create and drop the throwaway ones. */
export const TEST_PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export type TempDatabase = { url: string; drop(): Promise<void> };

/** An empty SQLite file in its own temporary folder. */
export function tempSqliteDatabase(): TempDatabase {
  const dir = mkdtempSync(path.join(os.tmpdir(), "latchkey-test-"));
  return {
    url: `file:${path.join(dir, "app.db")}`,
    // The folder also holds the -wal and -shm files.
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_ADMIN_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** An empty PostgreSQL database named latchkey_test_<random>. */
export async function tempPostgresDatabase(): Promise<TempDatabase> {
  const name = `latchkey_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE ends sessions a test forgot to close, so a leak cannot leave the database behind.
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export function tempDatabase(provider: DbProvider): Promise<TempDatabase> {
  return provider === "sqlite" ? Promise.resolve(tempSqliteDatabase()) : tempPostgresDatabase();
}

export type TestDb = { db: Db; url: string; cleanup(): Promise<void> };

/** A migrated throwaway database and a client for it; `cleanup` disconnects and drops it. */
export async function createTestDb(provider: DbProvider = "sqlite"): Promise<TestDb> {
  const temp = await tempDatabase(provider);
  try {
    await applyMigrations(temp.url);
  } catch (e) {
    await temp.drop();
    throw e;
  }
  const db = createDb(temp.url);
  return {
    db,
    url: temp.url,
    cleanup: async () => {
      await db.$disconnect();
      await temp.drop();
    },
  };
}
