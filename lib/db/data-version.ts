// SQLite's PRAGMA data_version on a connection of its own (docs/decisions/0021-auth-caches.md):
// it changes whenever *another* connection commits to the file, which on this connection is
// every write, this process's own (through Prisma's connection) and any other process's. Reading
// it is a call into the library, no I/O beyond the shared-memory index of WAL mode.
import Database from "better-sqlite3";

export type DataVersion = { read(): number | null; close(): void };

export function sqliteDataVersion(file: string): DataVersion {
  let db: Database.Database | undefined;
  let statement: Database.Statement | undefined;
  let failed = false;
  return {
    read() {
      if (failed) return null;
      try {
        if (!statement) {
          db = new Database(file, { fileMustExist: true, timeout: 1_000 });
          statement = db.prepare("PRAGMA data_version").pluck();
        }
        return statement.get() as number;
      } catch {
        // Unknown means "may have changed": the caller stops caching. Opening is retried once
        // a connection that failed is closed, so a file that appears later is picked up.
        try {
          db?.close();
        } catch {}
        db = undefined;
        statement = undefined;
        return null;
      }
    },
    close() {
      failed = true;
      db?.close();
      db = undefined;
      statement = undefined;
    },
  };
}
