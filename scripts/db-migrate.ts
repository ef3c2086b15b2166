// `npm run db:migrate`: applies pending migrations to $DATABASE_URL and exits.
import { applyMigrations } from "@/lib/db/migrate";
import { describeError } from "@/lib/db/errors";

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL || "file:./data/app.db";
  const { applied } = await applyMigrations(url, { log: (line) => console.log(line) });
  if (applied.length === 0) console.log("database is up to date");
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`db:migrate: ${describeError(e)}`);
    process.exit(1);
  },
);
