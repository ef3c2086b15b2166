import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { deadPostgresThrottle, type ThrottleFixture, throttleContract } from "@/test/support/throttle-contract";
import { createThrottleCounters as createThrottle, type ThrottleCounters as Throttle } from "./throttle/counters";

let dir: string;
let db: Db;
const made: Throttle[] = [];
const prefix = `t${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "latchkey-throttle-"));
  const url = `file:${path.join(dir, "test.db")}`;
  await applyMigrations(url);
  db = createDb(url);
});

afterAll(async () => {
  await Promise.all(made.map((t) => t.close()));
  await db?.$disconnect();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const fixture = (): ThrottleFixture => ({
  make: (limits) => {
    const t = createThrottle({ db, limits, prefix: `${prefix}${made.length}` });
    made.push(t);
    return t;
  },
  storedKeys: async () =>
    (await db.rateLimiterFlexible.findMany({ where: { key: { startsWith: prefix } }, select: { key: true } })).map((r) => r.key),
  dead: deadPostgresThrottle,
});

describe("throttle on SQLite", () => {
  throttleContract(fixture, {
    knownAccount: async () => {
      const username = `known${randomUUID().slice(0, 8)}`;
      await db.user.create({ data: { username, passwordHash: "x" }, select: { id: true } });
      return username;
    },
  });
});
