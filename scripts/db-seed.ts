// `npm run db:seed -- --users N [--seed S] [--force]`: fills $DATABASE_URL with N realistic
// accounts, their sessions and about ten hash-chained audit events each (scripts/lib/seed.ts).
// For development, demos and the admin benchmarks; refused in production unless --force.
// It holds the audit chain's head for the whole run, so a server writing events meanwhile waits.
import { parseArgs } from "node:util";
import { ConfigError, config } from "@/lib/config";
import { describeError } from "@/lib/db/errors";
import { describeSeed, seedDatabase } from "./lib/seed";

const USAGE = "usage: npm run db:seed -- --users N [--seed S] [--force]";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { users: { type: "string" }, seed: { type: "string" }, force: { type: "boolean" }, help: { type: "boolean" } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const users = Number(values.users);
  if (!values.users || !Number.isInteger(users) || users < 1 || users > 10_000_000) {
    throw new Error(`--users must be a whole number from 1 to 10000000 (${USAGE})`);
  }
  const cfg = config();
  if (cfg.isProduction && !values.force) {
    throw new Error("refusing to seed with NODE_ENV=production; pass --force if this database really is a throwaway one");
  }
  const result = await seedDatabase(cfg.DATABASE_URL, {
    users,
    seed: values.seed,
    bcryptCost: cfg.BCRYPT_COST,
    refreshTokenTtl: cfg.REFRESH_TOKEN_TTL,
  });
  console.log(describeSeed(result));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    const lines = e instanceof ConfigError ? e.problems : [describeError(e)];
    for (const line of lines) console.error(`db:seed: ${line}`);
    process.exit(1);
  },
);
