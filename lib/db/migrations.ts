import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export type Migration = { name: string; sql: string; checksum: string };

/** One `_prisma_migrations` row, reduced to what deciding needs. */
export type RecordedMigration = {
  name: string;
  checksum: string;
  finished: boolean;
  rolledBack: boolean;
};

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** Migration folders in name order (timestamps first, as Prisma orders them). */
export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new MigrationError(`no migrations folder at ${dir}`);
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return folders.map((name) => {
    const file = path.join(dir, name, "migration.sql");
    if (!existsSync(file)) throw new MigrationError(`migration ${name} has no migration.sql`);
    const bytes = readFileSync(file);
    // Prisma's checksum is SHA-256 over the file's bytes; matching it keeps `prisma migrate status` in agreement.
    return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
  });
}

/**
 * The local migrations not yet applied, in order. Refuses (like Prisma's P3009 and its checksum
 * warning) when the recorded history cannot be trusted: a migration that failed half-way, or one
 * whose file changed after it ran, since applying more on top would build on an unknown schema.
 */
export function pendingMigrations(local: Migration[], recorded: RecordedMigration[]): Migration[] {
  const live = recorded.filter((row) => !row.rolledBack);
  const failed = live.find((row) => !row.finished);
  if (failed) {
    throw new MigrationError(
      `migration ${failed.name} failed earlier and is not finished; repair the database, then mark it rolled back in _prisma_migrations`,
    );
  }
  const appliedByName = new Map(live.map((row) => [row.name, row]));
  for (const migration of local) {
    const row = appliedByName.get(migration.name);
    if (row && row.checksum !== migration.checksum) {
      throw new MigrationError(
        `migration ${migration.name} was modified after it was applied (checksum ${row.checksum} in the database, ${migration.checksum} on disk)`,
      );
    }
  }
  return local.filter((migration) => !appliedByName.has(migration.name));
}

/** Names recorded in the database that are not on disk: an older build running on a newer database. */
export function unknownMigrations(local: Migration[], recorded: RecordedMigration[]): string[] {
  const names = new Set(local.map((migration) => migration.name));
  return recorded.filter((row) => !row.rolledBack && !names.has(row.name)).map((row) => row.name);
}
