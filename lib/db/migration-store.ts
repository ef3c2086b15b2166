import type { Migration, RecordedMigration } from "./migrations";

/** One provider's connection to `_prisma_migrations`, held for a whole migration run. */
export interface MigrationStore {
  recorded(): Promise<RecordedMigration[]>;
  /**
   * In one write transaction: re-reads the history, validates it, and applies the first pending
   * migration of `local`, recording it. Returns its name, or undefined when nothing is pending.
   */
  applyNext(local: Migration[]): Promise<string | undefined>;
  close(): Promise<void>;
}
