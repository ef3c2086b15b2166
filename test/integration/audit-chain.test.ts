// The audit log's hash chain across processes (SPEC "Admin console"): two production servers on
// one database take concurrent requests and still write one gapless chain, which `npm run
// audit:verify` accepts; an edited, a deleted and an inserted row, each made with the raw driver,
// make it exit 1 naming the first broken event. A server started with AUDIT_RETENTION prunes at
// start-up and the chain stays verifiable.
import { execFile } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDbUrl } from "@/lib/db/url";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { Client, GOOD_PASSWORD, uniqueName } from "../support/client";
import { createTestDatabase, PROVIDERS, type Provider, type TestDatabase } from "../support/databases";
import { freePort, ROOT, type RunningServer, startServer } from "../support/server";

type Verify = { code: number; stdout: string; stderr: string };

function auditVerify(databaseUrl: string): Promise<Verify> {
  return new Promise((resolve) => {
    execFile(
      path.join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/audit-verify.ts"],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? "", NODE_ENV: "development", DATABASE_URL: databaseUrl } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Plain SQL on the database behind the servers' backs, `?` placeholders for both drivers. */
type Raw = { query<T>(sql: string, params?: unknown[]): Promise<T[]>; close(): Promise<void> };

async function rawDriver(url: string): Promise<Raw> {
  const target = parseDbUrl(url);
  if (target.provider === "sqlite") {
    const db = new Database(target.file, { timeout: 5_000 });
    return {
      query: async <T>(sql: string, params: unknown[] = []) => {
        const statement = db.prepare(sql);
        return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
      },
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  return {
    query: async <T>(sql: string, params: unknown[] = []) => {
      let n = 0;
      return (
        await client.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows as T[];
    },
    close: () => client.end(),
  };
}

let addressCounter = 0;
const nextAddress = () => `10.88.${(process.pid >> 8) & 255}.${++addressCounter}`;

describe.each(PROVIDERS)("the audit hash chain on %s", (provider: Provider) => {
  let db: TestDatabase | undefined;
  let raw: Raw | undefined;
  let keys = "";
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(provider);
    keys = JSON.stringify(await generateKeySet());
    const portA = await freePort();
    let portB = await freePort();
    while (portB === portA) portB = await freePort();
    const env = { TRUST_PROXY: "1", APP_URL: `http://localhost:${portA}` };
    servers.push(
      ...(await Promise.all([
        startServer({ databaseUrl: db.url, keys, env, port: portA }),
        startServer({ databaseUrl: db.url, keys, env, port: portB }),
      ])),
    );
    raw = await rawDriver(db.url);
  }, 120_000);

  afterAll(async () => {
    await raw?.close();
    await Promise.all(servers.map((s) => s.stop()));
    await db?.drop();
  }, 30_000);

  const sql = <T>(query: string, params?: unknown[]) => {
    if (!raw) throw new Error("database not open");
    return raw.query<T>(query, params);
  };
  const verify = () => auditVerify(db?.url ?? "");
  const eventCount = async () => Number((await sql<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "AuditEvent"`))[0]?.n);
  const eventAt = async (seq: number) =>
    (await sql<{ id: string; seq: number; hash: string }>(`SELECT "id", "seq", "hash" FROM "AuditEvent" WHERE "seq" = ?`, [seq]))[0];

  it("gives concurrent requests on two servers one chain that audit:verify accepts", async () => {
    const [a, b] = servers;
    const on = (s: RunningServer | undefined) => new Client(s?.url ?? "", { headers: { "x-forwarded-for": nextAddress() } });
    const username = uniqueName("ac");
    expect((await on(a).post("/api/auth/register", { username, password: GOOD_PASSWORD })).status).toBe(201);
    const attempts = Array.from({ length: 40 }, (_, i) =>
      on(i % 2 ? a : b).post("/api/auth/login", { username: i % 4 < 2 ? username : `nobody${i}`, password: `wrong password ${i}` }),
    );
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(401);
    // The register event and 40 failures; some are written after the answer, so wait for them.
    await expect.poll(eventCount, { timeout: 15_000 }).toBeGreaterThanOrEqual(41);

    const seqs = (await sql<{ seq: number }>(`SELECT "seq" FROM "AuditEvent" ORDER BY "seq"`)).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const result = await verify();
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(new RegExp(`^audit log intact: ${seqs.length} events \\(seq 1–${seqs.length}\\)`));
    expect(result.code).toBe(0);
  });

  it("names an edited row, then a deleted one, then an inserted one", async () => {
    const total = await eventCount();
    // Every tamper is undone from a copy of the row before the next, so each is seen on its own.
    const keep = async (seq: number) => {
      await sql(`DROP TABLE IF EXISTS "audit_copy"`);
      await sql(`CREATE TABLE "audit_copy" AS SELECT * FROM "AuditEvent" WHERE "seq" = ?`, [seq]);
    };
    const putBack = async (seq: number) => {
      await sql(`DELETE FROM "AuditEvent" WHERE "seq" = ?`, [seq]);
      await sql(`INSERT INTO "AuditEvent" SELECT * FROM "audit_copy"`);
      await sql(`DROP TABLE "audit_copy"`);
      expect((await verify()).code).toBe(0);
    };

    const edited = await eventAt(12);
    await keep(12);
    await sql(`UPDATE "AuditEvent" SET "address" = '198.51.100.66' WHERE "seq" = 12`);
    const afterEdit = await verify();
    expect(afterEdit.stdout).toBe(
      `audit log broken at event ${edited?.id} (seq 12): its content does not match its hash: the event was edited\n`,
    );
    expect(afterEdit.code).toBe(1);
    await putBack(12);

    const next = await eventAt(21);
    await keep(20);
    await sql(`DELETE FROM "AuditEvent" WHERE "seq" = 20`);
    const afterDelete = await verify();
    expect(afterDelete.stdout).toBe(
      `audit log broken at event ${next?.id} (seq 21): event seq 20 is missing (deleted) before this event\n`,
    );
    expect(afterDelete.code).toBe(1);
    await putBack(20);

    const last = await eventAt(total);
    await sql(
      `INSERT INTO "AuditEvent" ("id", "seq", "createdAt", "type", "subject", "prevHash", "hash")
       SELECT 'forged-event', "seq" + 1, "createdAt", 'login_success', 'mallory', "hash", ? FROM "AuditEvent" WHERE "seq" = ?`,
      ["f".repeat(64), last?.seq],
    );
    const afterInsert = await verify();
    expect(afterInsert.stdout).toMatch(
      new RegExp(
        `^audit log broken at event forged-event \\(seq ${total + 1}\\): seq ${total + 1} is beyond the chain head \\(seq ${total}\\)`,
      ),
    );
    expect(afterInsert.code).toBe(1);
    await sql(`DELETE FROM "AuditEvent" WHERE "id" = 'forged-event'`);
    expect((await verify()).code).toBe(0);
  });

  it("prunes at start-up with AUDIT_RETENTION, and the chain stays verifiable", async () => {
    const total = await eventCount();
    await new Promise((r) => setTimeout(r, 1_100));
    const pruner = await startServer({ databaseUrl: db?.url ?? "", keys, env: { AUDIT_RETENTION: "1s" } });
    servers.push(pruner);
    const pruned = async () =>
      sql<{ detail: string }>(`SELECT "detail" FROM "AuditEvent" WHERE "type" = 'audit_pruned' ORDER BY "seq" DESC`);
    await expect.poll(async () => (await pruned()).length, { timeout: 15_000 }).toBeGreaterThan(0);
    // Everything but the newest event was older than a second; the newest anchors the head.
    expect(JSON.parse((await pruned())[0]?.detail ?? "null")).toEqual({ throughSeq: total - 1, count: total - 1 });
    const head = (await sql<{ prunedThroughSeq: number }>(`SELECT "prunedThroughSeq" FROM "AuditChain" WHERE "id" = 1`))[0];
    expect(Number(head?.prunedThroughSeq)).toBe(total - 1);
    const result = await verify();
    expect(result.stdout).toMatch(new RegExp(`^audit log intact: 2 events \\(seq ${total}–${total + 1}\\)`));
    expect(result.code).toBe(0);
  });
});
