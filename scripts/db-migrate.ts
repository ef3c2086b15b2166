// `npm run db:migrate`: applies pending migrations to $DATABASE_URL and exits.
import { config } from "@/lib/config";
import { describeError } from "@/lib/db/errors";
import { applyMigrations } from "@/lib/db/migrate";

async function main(): Promise<void> {
  const { applied } = await applyMigrations(config().DATABASE_URL, { log: (line) => console.log(line) });
  if (applied.length === 0) console.log("database is up to date");
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`db:migrate: ${describeError(e)}`);
    process.exit(1);
  },
);
