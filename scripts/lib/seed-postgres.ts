// The seeder's PostgreSQL store: one connection, one transaction, the chain head locked with
// SELECT … FOR UPDATE (the row lock every append takes first, lib/audit/chain.ts), and rows sent
// as column arrays expanded by unnest(): one statement per few thousand rows instead of one each.
import pg from "pg";
import { type PostgresTarget, quoteIdent } from "@/lib/db/url";
import type { Device, SeedPlan } from "./seed-plan";
import type { ChainHead, EventRow } from "./seed-rows";
import { EVENT_COLUMNS, isoWithoutZone, quoted, rotationSecrets, SESSION_COLUMNS, type SeedStore, USER_COLUMNS } from "./seed-store";

// Prisma stores DateTime as timestamp(3) without time zone, in UTC; an ISO string's "Z" is ignored
// on input, which is exactly that.
const iso = (ms: number | Date) => `${isoWithoutZone(typeof ms === "number" ? ms : ms.getTime())}Z`;
const maybeIso = (ms: number | null) => (ms === null ? null : iso(ms));

const ACCOUNT_BATCH = 10_000;

function unnestInsert(table: string, columns: readonly string[], types: readonly string[]): string {
  const arrays = types.map((t, i) => `$${i + 1}::${t}[]`).join(", ");
  return `INSERT INTO "${table}" (${quoted(columns)}) SELECT * FROM unnest(${arrays})`;
}

const TS = "timestamp(3)";
const USER_INSERT = unnestInsert("User", USER_COLUMNS, ["text", "text", "text", "text", "text", "boolean", TS, TS, TS, TS, TS]);
const SESSION_INSERT = unnestInsert("Session", SESSION_COLUMNS, ["text", "text", "text", "int", TS, TS, TS, "text", "text", TS, "text"]);
const EVENT_INSERT = unnestInsert("AuditEvent", EVENT_COLUMNS, [
  "text",
  "int",
  TS,
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
]);

/** Rows to column arrays, the shape unnest() takes. */
function columnsOf<T>(rows: T[], width: number, cells: (row: T, index: number) => unknown[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: width }, () => new Array(rows.length));
  rows.forEach((row, r) => {
    cells(row, r).forEach((value, c) => {
      (columns[c] as unknown[])[r] = value;
    });
  });
  return columns;
}

export async function openPostgresSeedStore(target: PostgresTarget): Promise<SeedStore> {
  const client = new pg.Client({ connectionString: target.connectionString, connectionTimeoutMillis: 10_000 });
  // A dropped connection emits 'error' on the client; unhandled it would crash the process.
  client.on("error", () => undefined);
  await client.connect();
  if (target.schema) await client.query(`SET search_path TO ${quoteIdent(target.schema)}`);
  return {
    async begin() {
      await client.query("BEGIN");
      const { rows } = await client.query<{ seq: number; hash: string; lastAt: Date }>(
        `SELECT "seq", "hash", ("lastAt" AT TIME ZONE 'UTC') AS "lastAt" FROM "AuditChain" WHERE "id" = 1 FOR UPDATE`,
      );
      const head = rows[0];
      if (!head) throw new Error("the audit chain has no head row (AuditChain id 1); is the database migrated?");
      const taken = new Set<string>();
      const names = await client.query<{ username: string; email: string | null }>('SELECT "username", "email" FROM "User"');
      for (const row of names.rows) {
        taken.add(row.username);
        if (row.email) taken.add(row.email);
      }
      return { head, taken };
    },
    async insertAccounts(plan: SeedPlan, passwordHash: string) {
      for (let from = 0; from < plan.users.length; from += ACCOUNT_BATCH) {
        const batch = plan.users.slice(from, from + ACCOUNT_BATCH);
        const values = columnsOf(batch, USER_COLUMNS.length, (u) => [
          u.id,
          u.username,
          u.email,
          passwordHash,
          u.role,
          u.disabled,
          iso(u.createdAt),
          iso(u.updatedAt),
          iso(u.passwordChangedAt),
          maybeIso(u.emailVerifiedAt),
          maybeIso(u.lastSeenAt),
        ]);
        await client.query(USER_INSERT, values);
      }
      const secrets = rotationSecrets(plan.sessions.length);
      for (let from = 0; from < plan.sessions.length; from += ACCOUNT_BATCH) {
        const batch = plan.sessions.slice(from, from + ACCOUNT_BATCH);
        const values = columnsOf(batch, SESSION_COLUMNS.length, (s, k) => {
          const owner = plan.users[s.user];
          const device = owner?.devices[s.device] as Device;
          return [
            s.id,
            owner?.id,
            secrets[from + k],
            s.generation,
            iso(s.createdAt),
            iso(s.lastUsedAt),
            iso(s.expiresAt),
            device.address,
            device.userAgent,
            maybeIso(s.revokedAt),
            s.revokedReason,
          ];
        });
        await client.query(SESSION_INSERT, values);
      }
    },
    async insertEvents(rows: EventRow[]) {
      const values = columnsOf(rows, EVENT_COLUMNS.length, (e) => [
        e.id,
        e.seq,
        iso(e.createdAt),
        e.type,
        e.userId,
        e.actorId,
        e.subject,
        e.address,
        e.userAgent,
        e.detail,
        e.prevHash,
        e.hash,
      ]);
      await client.query(EVENT_INSERT, values);
    },
    async commit(head: ChainHead) {
      await client.query('UPDATE "AuditChain" SET "seq" = $1, "hash" = $2, "lastAt" = $3::timestamp(3) WHERE "id" = 1', [
        head.seq,
        head.hash,
        iso(head.lastAt),
      ]);
      await client.query("COMMIT");
      // Planner statistics now rather than whenever autovacuum gets to a million new rows.
      await client.query('ANALYZE "User", "Session", "AuditEvent"');
    },
    async rollback() {
      await client.query("ROLLBACK").catch(() => undefined);
    },
    async close() {
      await client.end();
    },
  };
}
