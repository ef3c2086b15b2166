import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { TEST_PG_ADMIN_URL } from "@/test/support/test-db";
import { deadPostgresThrottle, type ThrottleFixture, throttleContract } from "@/test/support/throttle-contract";
import { createThrottleCounters as createThrottle, type ThrottleCounters as Throttle } from "./throttle/counters";

const databaseUrl = (database: string) => Object.assign(new URL(TEST_PG_ADMIN_URL), { pathname: `/${database}` }).toString();
const name = `latchkey_throttle_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
const prefix = `t${randomUUID().slice(0, 8)}`;
let db: Db | undefined;
const made: Throttle[] = [];

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin(`CREATE DATABASE ${name}`);
  const url = databaseUrl(name);
  await applyMigrations(url);
  db = createDb(url);
});

afterAll(async () => {
  await Promise.all(made.map((t) => t.close()));
  await db?.$disconnect();
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

const fixture = (): ThrottleFixture => {
  if (!db) throw new Error("database not ready");
  const store = db;
  return {
    make: (limits) => {
      const t = createThrottle({ db: store, limits, prefix: `${prefix}${made.length}` });
      made.push(t);
      return t;
    },
    storedKeys: async () =>
      (await store.rateLimiterFlexible.findMany({ where: { key: { startsWith: prefix } }, select: { key: true } })).map((r) => r.key),
    dead: deadPostgresThrottle,
  };
};

describe("throttle on PostgreSQL", () => {
  throttleContract(fixture, {
    knownAccount: async () => {
      const username = `known${randomUUID().slice(0, 8)}`;
      await db?.user.create({ data: { username, passwordHash: "x" }, select: { id: true } });
      return username;
    },
  });
});
