// The Prisma client factory. No React or `server-only` imports: the CLI scripts use it outside Next.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import { config } from "@/lib/config";
import { PrismaClient as PostgresClient } from "@/lib/generated/postgresql/client";
import { PrismaClient as SqliteClient } from "@/lib/generated/sqlite/client";
import { SerializedSqliteAdapter } from "./sqlite-adapter";
import { type DbProvider, parseDbUrl, providerOf } from "./url";

// Both clients are generated from the same models (prisma/models.prisma), so their model APIs are
// identical; only the provider baked into each differs. One type keeps callers provider-agnostic,
// and the PostgreSQL client is cast to it.
export type Db = SqliteClient;

// Concurrent writers wait this long for SQLite's single write lock instead of failing with SQLITE_BUSY.
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

const PG_POOL = {
  max: 10,
  // An unreachable server must fail a request in seconds (the app answers 503), not hang it.
  connectionTimeoutMillis: 3_000,
  idleTimeoutMillis: 30_000,
  // Without it, a connection to a host that vanished silently would wait for the OS TCP timeout.
  keepAlive: true,
  // Keep-alive takes minutes to notice a silent peer; a query sent into a network partition would
  // hang its request (and hold a pool slot) until then. The app's queries take milliseconds.
  query_timeout: 5_000,
};

export function dbProvider(url: string = config().DATABASE_URL): DbProvider {
  return providerOf(url);
}

/** A new client for `url`; the caller owns it and must `$disconnect()` it. For tests and scripts. */
export function createDb(url: string): Db {
  const target = parseDbUrl(url);
  if (target.provider === "sqlite") {
    enableWal(target.file);
    const adapter = new SerializedSqliteAdapter(new PrismaBetterSqlite3({ url: target.file, timeout: SQLITE_BUSY_TIMEOUT_MS }));
    return new SqliteClient({ adapter });
  }
  const adapter = new PrismaPg(
    { connectionString: target.connectionString, ...PG_POOL },
    target.schema === undefined ? undefined : { schema: target.schema },
  );
  return new PostgresClient({ adapter }) as unknown as Db;
}

/**
 * WAL lets readers carry on while one connection writes. The mode is stored in the file, so the
 * migration applier normally set it already; this covers a database that came from elsewhere.
 */
function enableWal(file: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    try {
      db.pragma("journal_mode = WAL");
    } finally {
      db.close();
    }
  } catch {
    // Best effort: an unopenable file fails again on the first query, as a Prisma error callers
    // already handle (503), instead of here, outside any request.
  }
}

// Kept on globalThis so Next's dev hot reload, which re-evaluates modules, reuses one pool.
const globalForDb = globalThis as typeof globalThis & { __latchkeyDb?: { url: string; db: Db } };

/** The process-wide client for `DATABASE_URL`. */
export function getDb(): Db {
  const url = config().DATABASE_URL;
  const current = globalForDb.__latchkeyDb;
  if (current && current.url === url) return current.db;
  // Only tests change DATABASE_URL within a process; let the old pool go.
  if (current) void current.db.$disconnect().catch(() => undefined);
  const db = createDb(url);
  globalForDb.__latchkeyDb = { url, db };
  return db;
}

export async function disconnectDb(): Promise<void> {
  const current = globalForDb.__latchkeyDb;
  globalForDb.__latchkeyDb = undefined;
  await current?.db.$disconnect();
}
