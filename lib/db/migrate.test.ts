import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { type TempDatabase, tempDatabase } from "@/test/support/test-db";
import { applyMigrations, migrationsDirFor } from "./migrate";
import { type DbProvider, parseDbUrl } from "./url";

const INIT = "20261129000000_init";
const MAIL = "20261201000000_mail_tokens";
const SECOND_FACTORS = "20261202000000_second_factors";
const ADMIN_CONSOLE = "20261203000000_admin_console";
const ALL = [INIT, MAIL, SECOND_FACTORS, ADMIN_CONSOLE];
const TABLES = [
  "AccountToken",
  "AuditChain",
  "AuditEvent",
  "LoginChallenge",
  "Passkey",
  "RateLimiterFlexible",
  "RecoveryCode",
  "RefreshToken",
  "Session",
  "TotpFactor",
  "User",
  "_prisma_migrations",
];

/** Runs one raw query with the plain driver, so the checks do not trust the code under test. */
async function query<T>(url: string, sql: string): Promise<T[]> {
  const target = parseDbUrl(url);
  if (target.provider === "sqlite") {
    const db = new Database(target.file);
    try {
      const stmt = db.prepare(sql);
      return (stmt.reader ? stmt.all() : (stmt.run(), [])) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function tables(url: string, provider: DbProvider): Promise<string[]> {
  const sql =
    provider === "sqlite"
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'";
  return (await query<{ name: string }>(url, sql)).map((row) => row.name).sort();
}

type MigrationRow = { id: string; checksum: string; migration_name: string; finished_at: unknown; applied_steps_count: number };

function migrationRows(url: string): Promise<MigrationRow[]> {
  return query<MigrationRow>(url, "SELECT * FROM _prisma_migrations ORDER BY started_at");
}

function checksumOf(provider: DbProvider, name: string): string {
  const bytes = readFileSync(path.join(migrationsDirFor(provider), name, "migration.sql"));
  return createHash("sha256").update(bytes).digest("hex");
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fresh(provider: DbProvider): Promise<TempDatabase> {
  const temp = await tempDatabase(provider);
  cleanups.push(() => temp.drop());
  return temp;
}

/** A migrations folder holding the real init migration plus `extra` ones. */
function migrationsWith(provider: DbProvider, extra: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "latchkey-migrations-"));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const all = { [INIT]: readFileSync(path.join(migrationsDirFor(provider), INIT, "migration.sql"), "utf8"), ...extra };
  for (const [name, sql] of Object.entries(all)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe.each(["sqlite", "postgresql"] as const)("applyMigrations on %s", (provider) => {
  it("creates every table and records the migration as Prisma does", async () => {
    const { url } = await fresh(provider);
    const lines: string[] = [];

    const result = await applyMigrations(url, { log: (line) => lines.push(line) });

    expect(result.applied).toEqual(ALL);
    expect(lines).toEqual(ALL.map((name) => `applied migration ${name}`));
    expect(await tables(url, provider)).toEqual(TABLES);
    const rows = await migrationRows(url);
    expect(rows).toHaveLength(ALL.length);
    expect(rows[0]).toMatchObject({ migration_name: INIT, checksum: checksumOf(provider, INIT), applied_steps_count: 1 });
    expect(rows[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rows[0]?.finished_at).not.toBeNull();
  });

  it("applies nothing the second time", async () => {
    const { url } = await fresh(provider);
    await applyMigrations(url);

    expect(await applyMigrations(url)).toEqual({ applied: [] });
    expect(await migrationRows(url)).toHaveLength(ALL.length);
  });

  it("applies each migration once when two runs start together", async () => {
    const { url } = await fresh(provider);

    const results = await Promise.all([applyMigrations(url), applyMigrations(url)]);

    expect(results.flatMap((r) => r.applied).sort()).toEqual(ALL);
    expect((await migrationRows(url)).map((row) => row.migration_name)).toEqual(ALL);
  });

  it("refuses a history whose checksum does not match the file", async () => {
    const { url } = await fresh(provider);
    await applyMigrations(url);
    await query(url, `UPDATE _prisma_migrations SET checksum = '${"0".repeat(64)}'`);

    await expect(applyMigrations(url)).rejects.toThrow(new RegExp(`migration ${INIT} was modified`));
  });

  it("rolls a failing migration back entirely and records nothing for it", async () => {
    const { url } = await fresh(provider);
    const broken = 'CREATE TABLE "Half" ("id" INTEGER);\nINSERT INTO "Nowhere" VALUES (1);\n';
    const dir = migrationsWith(provider, { "20261130000000_broken": broken });

    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(/Nowhere/);

    expect((await migrationRows(url)).map((row) => row.migration_name)).toEqual([INIT]);
    expect(await tables(url, provider)).not.toContain("Half");
  });

  it("applies a later migration on top, in name order", async () => {
    const { url } = await fresh(provider);
    await applyMigrations(url);
    const dir = migrationsWith(provider, {
      "20261201000000_second": 'CREATE TABLE "Second" ("id" INTEGER PRIMARY KEY);\n',
      "20261130000000_first": 'CREATE TABLE "First" ("id" INTEGER PRIMARY KEY);\n',
    });

    const result = await applyMigrations(url, { migrationsDir: dir });

    expect(result.applied).toEqual(["20261130000000_first", "20261201000000_second"]);
    expect(await tables(url, provider)).toEqual(expect.arrayContaining(["First", "Second"]));
  });
});

describe("applyMigrations on sqlite files", () => {
  it("creates the parent folder, resolves the path from the working directory, and turns on WAL", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "latchkey-cwd-"));
    cleanups.push(async () => rmSync(root, { recursive: true, force: true }));
    const file = path.join(root, "nested", "dir", "app.db");
    const cwd = process.cwd();
    // Relative to the working directory, as `DATABASE_URL=file:./data/app.db` is for npm scripts.
    const url = `file:./${path.relative(cwd, file)}`;

    await applyMigrations(url);

    const db = new Database(file, { fileMustExist: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });

  it("rejects URLs it cannot serve, without echoing them", async () => {
    await expect(applyMigrations("mysql://root:secret@localhost/x")).rejects.toThrow(/unsupported DATABASE_URL scheme "mysql:"/);
    await expect(applyMigrations("mysql://root:secret@localhost/x")).rejects.not.toThrow(/secret/);
  });
});
