import { execFile } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { type DbProvider, parseDbUrl } from "@/lib/db/url";
import { type TempDatabase, tempDatabase } from "@/test/support/test-db";

const root = path.resolve(__dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

type Run = { code: number; stdout: string; stderr: string };

function migrate(databaseUrl: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(tsx, ["scripts/db-migrate.ts"], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function migrationNames(url: string): Promise<string[]> {
  const target = parseDbUrl(url);
  const sql = "SELECT migration_name FROM _prisma_migrations";
  if (target.provider === "sqlite") {
    const db = new Database(target.file, { readonly: true });
    try {
      return (db.prepare(sql).all() as Array<{ migration_name: string }>).map((r) => r.migration_name);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    return (await client.query<{ migration_name: string }>(sql)).rows.map((r) => r.migration_name);
  } finally {
    await client.end();
  }
}

const temps: TempDatabase[] = [];
afterEach(async () => {
  for (const temp of temps.splice(0)) await temp.drop();
});

describe.each(["sqlite", "postgresql"] as const)("db:migrate on %s", (provider: DbProvider) => {
  it("migrates once when two processes start together, then reports the database up to date", async () => {
    const temp = await tempDatabase(provider);
    temps.push(temp);

    const runs = await Promise.all([migrate(temp.url), migrate(temp.url)]);

    expect(
      runs.map((r) => r.code),
      JSON.stringify(runs.map((r) => r.stderr)),
    ).toEqual([0, 0]);
    const all = ["20261129000000_init", "20261201000000_mail_tokens", "20261202000000_second_factors", "20261203000000_admin_console"];
    // The two runs may share the work (each migration is its own transaction, and each run
    // re-reads the history before the next one), but together they apply each migration once.
    const applied = runs.flatMap((r) => r.stdout.split("\n").filter((line) => line.startsWith("applied migration ")));
    expect(applied.map((line) => line.slice("applied migration ".length)).sort()).toEqual(all);
    for (const run of runs) {
      expect(run.stdout.split("\n").filter((line) => line !== "" && !line.startsWith("applied migration "))).toEqual(
        run.stdout.includes("applied migration ") ? [] : ["database is up to date"],
      );
    }
    expect(await migrationNames(temp.url)).toEqual(all);
    expect(await migrate(temp.url)).toEqual({ code: 0, stdout: "database is up to date\n", stderr: "" });
  });
});

describe("db:migrate failures", () => {
  it("prints one line to stderr and exits 1 when the database is unreachable", async () => {
    const run = await migrate("postgresql://postgres@127.0.0.1:1/latchkey");

    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^db:migrate: .*ECONNREFUSED.*\n$/);
  });
});
