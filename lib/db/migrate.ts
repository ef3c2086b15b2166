// The offline migration applier. Prisma 7's `migrate deploy` needs a native schema engine that
// cannot be downloaded here, so this applies the committed SQL itself and records each migration
// in `_prisma_migrations` exactly as Prisma does, so that `prisma migrate status` agrees with it
// on any machine that has the engine.
import path from "node:path";
import type { MigrationStore } from "./migration-store";
import { openPostgresStore } from "./migration-store-postgres";
import { openSqliteStore } from "./migration-store-sqlite";
import { readMigrations, unknownMigrations } from "./migrations";
import { type DbProvider, parseDbUrl } from "./url";

export { MigrationError } from "./migrations";

export type ApplyMigrationsOptions = {
  log?: (line: string) => void;
  /** Defaults to prisma/<provider>/migrations under the working directory. */
  migrationsDir?: string;
};

export function migrationsDirFor(provider: DbProvider): string {
  return path.join(process.cwd(), "prisma", provider, "migrations");
}

/**
 * Applies every pending migration, each in its own transaction, and returns their names in order.
 * Safe to start from several processes at once: PostgreSQL runs hold an advisory lock for the
 * whole run, SQLite ones serialise on `BEGIN IMMEDIATE`, and each transaction re-reads the
 * history before applying anything.
 */
export async function applyMigrations(databaseUrl: string, opts: ApplyMigrationsOptions = {}): Promise<{ applied: string[] }> {
  const target = parseDbUrl(databaseUrl);
  const local = readMigrations(opts.migrationsDir ?? migrationsDirFor(target.provider));
  const store: MigrationStore = target.provider === "sqlite" ? openSqliteStore(target.file) : await openPostgresStore(target);

  const applied: string[] = [];
  try {
    const before = await store.recorded();
    for (const name of unknownMigrations(local, before)) {
      opts.log?.(`warning: migration ${name} is in the database but not in this build`);
    }
    for (;;) {
      const name = await store.applyNext(local);
      if (name === undefined) break;
      applied.push(name);
      opts.log?.(`applied migration ${name}`);
    }
  } finally {
    await store.close();
  }
  return { applied };
}
