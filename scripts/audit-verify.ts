// `npm run audit:verify`: checks the audit log's hash chain in $DATABASE_URL (lib/audit/verify.ts).
// Exit 0: intact; 1: broken, naming the first broken event; 2: usage, configuration or connection
// errors. It reads through the raw driver inside one read-only snapshot transaction, so events
// appended or pruned by running servers meanwhile cannot make an intact log look broken, and a
// million events take seconds.
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import type { AuditReader, ChainHead, StoredEvent, VerifyResult } from "@/lib/audit/verify";
import { verifyAuditChain } from "@/lib/audit/verify";
import { ConfigError, config } from "@/lib/config";
import { describeError } from "@/lib/db/errors";
import { parseDbUrl, quoteIdent } from "@/lib/db/url";

const USAGE = "usage: DATABASE_URL=… npm run audit:verify";

type Row = Omit<StoredEvent, "createdAt"> & { createdAt: string | number | Date };
type Snapshot = { reader: AuditReader; close(): Promise<void> };

const COLUMNS = `"id", "seq", "createdAt", "type", "userId", "actorId", "subject", "address", "userAgent", "detail", "prevHash", "hash"`;

// Prisma writes SQLite times as ISO text ("…+00:00"); CURRENT_TIMESTAMP defaults are UTC without a zone.
function toDate(value: string | number | Date): Date {
  if (value instanceof Date || typeof value === "number") return new Date(value);
  return new Date(/^\d{4}-\d\d-\d\d[ T][\d:.]+$/.test(value) ? `${value.replace(" ", "T")}Z` : value);
}

const toEvent = (row: Row): StoredEvent => ({ ...row, createdAt: toDate(row.createdAt) });

function openSqlite(file: string): Snapshot {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5_000 });
  const head = db.prepare<[], ChainHead>(`SELECT "seq", "hash", "prunedThroughSeq", "prunedThroughHash" FROM "AuditChain" WHERE "id" = 1`);
  const lowest = db.prepare<[], { seq: number; id: string }>(`SELECT "seq", "id" FROM "AuditEvent" ORDER BY "seq" LIMIT 1`);
  const count = db.prepare<[number], { n: number }>(`SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "seq" <= ?`);
  const after = db.prepare<[number, number], Row>(`SELECT ${COLUMNS} FROM "AuditEvent" WHERE "seq" > ? ORDER BY "seq" LIMIT ?`);
  // A read transaction in WAL mode: every statement sees the database as of the first read.
  db.exec("BEGIN");
  return {
    reader: {
      consistent: true,
      head: async () => head.get() ?? null,
      lowest: async () => lowest.get() ?? null,
      countThrough: async (seq) => count.get(seq)?.n ?? 0,
      after: async (seq, limit) => after.all(seq, limit).map(toEvent),
    },
    close: async () => {
      db.exec("COMMIT");
      db.close();
    },
  };
}

// Prisma stores UTC in `timestamp(3)` without a zone; pg would read it as local time.
const TIMESTAMP_OID = 1114;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID ? (v: string) => toDate(v) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

async function openPostgres(connectionString: string, schema: string | undefined): Promise<Snapshot> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000, types });
  await client.connect();
  const table = (name: string) => (schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name));
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  return {
    reader: {
      consistent: true,
      head: async () =>
        (
          await client.query<ChainHead>(
            `SELECT "seq", "hash", "prunedThroughSeq", "prunedThroughHash" FROM ${table("AuditChain")} WHERE "id" = 1`,
          )
        ).rows[0] ?? null,
      lowest: async () =>
        (await client.query<{ seq: number; id: string }>(`SELECT "seq", "id" FROM ${table("AuditEvent")} ORDER BY "seq" LIMIT 1`))
          .rows[0] ?? null,
      countThrough: async (seq) =>
        Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table("AuditEvent")} WHERE "seq" <= $1`, [seq])).rows[0]?.n),
      after: async (seq, limit) =>
        (
          await client.query<Row>(`SELECT ${COLUMNS} FROM ${table("AuditEvent")} WHERE "seq" > $1 ORDER BY "seq" LIMIT $2`, [seq, limit])
        ).rows.map(toEvent),
    },
    close: async () => {
      await client.query("COMMIT").catch(() => undefined);
      await client.end();
    },
  };
}

function summary(result: VerifyResult, seconds: number): string {
  const broken = result.firstBroken;
  if (broken) {
    const where = broken.id === null ? `seq ${broken.seq} (missing event)` : `event ${broken.id} (seq ${broken.seq})`;
    return `audit log broken at ${where}: ${broken.reason}`;
  }
  const range = result.range ? ` (seq ${result.range.first}–${result.range.last})` : "";
  const older =
    result.notCovered > 0 ? `; ${result.notCovered} earlier events predate the chain or its retention cut and are not covered` : "";
  return `audit log intact: ${result.checked} events${range}${older}; checked in ${seconds.toFixed(1)} s`;
}

async function main(): Promise<number> {
  let help = false;
  try {
    help = parseArgs({ args: process.argv.slice(2), options: { help: { type: "boolean", short: "h" } } }).values.help ?? false;
  } catch (e) {
    process.stderr.write(`audit:verify: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (help) {
    process.stdout.write(`${USAGE}\nExits 0 when the audit log's hash chain is intact, 1 when it is broken, 2 on errors.\n`);
    return 0;
  }
  const target = parseDbUrl(config().DATABASE_URL);
  const started = performance.now();
  const snapshot = target.provider === "sqlite" ? openSqlite(target.file) : await openPostgres(target.connectionString, target.schema);
  try {
    const result = await verifyAuditChain(snapshot.reader);
    process.stdout.write(`${summary(result, (performance.now() - started) / 1_000)}\n`);
    return result.ok ? 0 : 1;
  } finally {
    await snapshot.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const message = e instanceof ConfigError ? e.problems.join("; ") : describeError(e);
    const hint = /AuditChain|AuditEvent/.test(message) ? " (is the database migrated? npm run db:migrate)" : "";
    process.stderr.write(`audit:verify: ${message}${hint}\n`);
    process.exit(2);
  },
);
