import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { reloadConfig } from "@/lib/config";
import { createTestDb, TEST_PG_ADMIN_URL, type TestDb } from "@/test/support/test-db";
import { createDb, type Db, dbProvider, disconnectDb, getDb } from "./client";
import { isDbUnavailable, isUniqueViolation, uniqueViolationFields } from "./errors";
import { parseDbUrl } from "./url";

const name = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 10)}`;

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected the promise to reject");
}

describe.each(["sqlite", "postgresql"] as const)("createDb on %s", (provider) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb(provider);
  });
  afterAll(async () => {
    await testDb.cleanup();
  });

  it("creates a user and reads it back", async () => {
    const username = name("user");
    const created = await testDb.db.user.create({
      data: { username, passwordHash: "hash" },
      select: { id: true },
    });

    const found = await testDb.db.user.findUnique({
      where: { id: created.id },
      select: { username: true, role: true, disabled: true, createdAt: true },
    });

    expect(found).toMatchObject({ username, role: "user", disabled: false });
    expect(found?.createdAt).toBeInstanceOf(Date);
  });

  it("reports a duplicate username as a unique violation on that field", async () => {
    const username = name("dup");
    await testDb.db.user.create({ data: { username, passwordHash: "hash" }, select: { id: true } });

    const error = await caught(testDb.db.user.create({ data: { username, passwordHash: "hash" }, select: { id: true } }));

    expect(isUniqueViolation(error)).toBe(true);
    expect(uniqueViolationFields(error)).toEqual(["username"]);
    expect(isDbUnavailable(error)).toBe(false);
  });

  it("reports a duplicate email inside a transaction as a unique violation on email", async () => {
    const email = `${name("e")}@example.com`;
    await testDb.db.user.create({ data: { username: name("a"), email, passwordHash: "h" }, select: { id: true } });

    const error = await caught(
      testDb.db.$transaction(async (tx) => {
        await tx.user.create({ data: { username: name("b"), email, passwordHash: "h" }, select: { id: true } });
      }),
    );

    expect(isUniqueViolation(error)).toBe(true);
    expect(uniqueViolationFields(error)).toEqual(["email"]);
  });

  it("enforces foreign keys: deleting a user deletes its sessions and refresh tokens", async () => {
    const user = await testDb.db.user.create({ data: { username: name("fk"), passwordHash: "h" }, select: { id: true } });
    const session = await testDb.db.session.create({
      data: { userId: user.id, rotationSecret: "s", expiresAt: new Date(Date.now() + 60_000) },
      select: { id: true },
    });
    await testDb.db.refreshToken.create({
      data: { tokenHash: name("t"), sessionId: session.id, generation: 0 },
      select: { tokenHash: true },
    });

    await testDb.db.user.delete({ where: { id: user.id }, select: { id: true } });

    await expect(testDb.db.session.count({ where: { id: session.id } })).resolves.toBe(0);
    await expect(testDb.db.refreshToken.count({ where: { sessionId: session.id } })).resolves.toBe(0);
  });

  it("keeps writes outside a transaction out of it, and hides its rows until commit", async () => {
    const inside = name("inside");
    const outside = name("outside");
    let markInsideWritten!: () => void;
    const insideWritten = new Promise<void>((resolve) => (markInsideWritten = resolve));

    const rolledBack = caught(
      testDb.db.$transaction(async (tx) => {
        await tx.user.create({ data: { username: inside, passwordHash: "h" }, select: { id: true } });
        markInsideWritten();
        await new Promise((resolve) => setTimeout(resolve, 200));
        throw new Error("roll back");
      }),
    );
    await insideWritten;
    await testDb.db.user.create({ data: { username: outside, passwordHash: "h" }, select: { id: true } });
    const seenFromOutside = await testDb.db.user.count({ where: { username: inside } });
    await rolledBack;

    expect(seenFromOutside).toBe(0);
    await expect(testDb.db.user.count({ where: { username: outside } })).resolves.toBe(1);
    await expect(testDb.db.user.count({ where: { username: inside } })).resolves.toBe(0);
  });

  it("runs nested writes and batch transactions", async () => {
    const username = name("nested");
    const user = await testDb.db.user.create({
      data: { username, passwordHash: "h", sessions: { create: { rotationSecret: "s", expiresAt: new Date() } } },
      select: { id: true, sessions: { select: { id: true } } },
    });
    const [count, updated] = await testDb.db.$transaction([
      testDb.db.session.count({ where: { userId: user.id } }),
      testDb.db.user.update({ where: { id: user.id }, data: { role: "admin" }, select: { role: true } }),
    ]);

    expect(user.sessions).toHaveLength(1);
    expect(count).toBe(1);
    expect(updated.role).toBe("admin");
  });

  it("does not call a missing row a unique violation or an outage", async () => {
    const error = await caught(testDb.db.user.update({ where: { id: "missing" }, data: { role: "admin" }, select: { id: true } }));

    expect(isUniqueViolation(error)).toBe(false);
    expect(isDbUnavailable(error)).toBe(false);
  });

  it("rejects an undefined in a where clause instead of matching everything", async () => {
    const kept = await testDb.db.user.create({ data: { username: name("kept"), passwordHash: "h" }, select: { id: true } });

    // strictUndefinedChecks: without it, `{ id: undefined }` means "no filter" and deletes every user.
    const error = await caught(testDb.db.user.deleteMany({ where: { id: undefined as unknown as string } }));

    expect(String((error as Error).message)).toMatch(/explicitly `undefined` values are not allowed/);
    await expect(testDb.db.user.count({ where: { id: kept.id } })).resolves.toBe(1);
  });
});

describe("isDbUnavailable", () => {
  const clients: Db[] = [];
  afterEach(async () => {
    for (const db of clients.splice(0)) await db.$disconnect();
  });
  const track = (db: Db) => (clients.push(db), db);

  it("is true within a few seconds when nothing listens on the PostgreSQL port", async () => {
    const db = track(createDb("postgresql://postgres@127.0.0.1:1/latchkey"));
    const started = Date.now();

    const error = await caught(db.user.findFirst({ select: { id: true } }));

    expect(isDbUnavailable(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("is true within a few seconds when the server accepts but never answers", async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    const db = track(createDb(`postgresql://postgres@127.0.0.1:${port}/latchkey`));
    try {
      const started = Date.now();
      const plain = await caught(db.user.findFirst({ select: { id: true } }));
      const inTransaction = await caught(db.$transaction((tx) => tx.user.findFirst({ select: { id: true } })));

      expect(isDbUnavailable(plain)).toBe(true);
      expect(isDbUnavailable(inTransaction)).toBe(true);
      expect(Date.now() - started).toBeLessThan(9_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });

  it("is true for a SQLite file that cannot be opened", async () => {
    // A directory where the database file should be.
    const dir = mkdtempSync(path.join(os.tmpdir(), "latchkey-cantopen-"));
    try {
      const db = track(createDb(`file:${dir}`));

      expect(isDbUnavailable(await caught(db.user.findFirst({ select: { id: true } })))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is true when another connection holds the SQLite write lock past the busy timeout", async () => {
    const testDb = await createTestDb("sqlite");
    const parsed = parseDbUrl(testDb.url);
    const locker = new Database(parsed.provider === "sqlite" ? parsed.file : "");
    try {
      locker.exec("BEGIN EXCLUSIVE");
      const error = await caught(testDb.db.user.create({ data: { username: name("busy"), passwordHash: "h" }, select: { id: true } }));

      expect(isDbUnavailable(error)).toBe(true);
      expect(isUniqueViolation(error)).toBe(false);
    } finally {
      locker.close();
      await testDb.cleanup();
    }
  });

  it("is true when a PostgreSQL query outlives the query timeout, and the pool stays usable", async () => {
    const testDb = await createTestDb("postgresql");
    try {
      const started = Date.now();
      const error = await caught(testDb.db.$queryRawUnsafe("SELECT pg_sleep(8)"));

      expect(isDbUnavailable(error)).toBe(true);
      expect(Date.now() - started).toBeLessThan(7_000);
      await expect(testDb.db.user.count()).resolves.toBe(0);
    } finally {
      await testDb.cleanup();
    }
  });

  it("recovers without a new client once PostgreSQL drops its connections", async () => {
    const testDb = await createTestDb("postgresql");
    try {
      await testDb.db.user.findFirst({ select: { id: true } });
      const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await admin.connect();
      const database = new URL(testDb.url).pathname.slice(1);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [database]);
      await admin.end();

      // The pool drops the dead connections and opens new ones; the first query may or may not fail.
      await testDb.db.user.findFirst({ select: { id: true } }).catch((e: unknown) => {
        expect(isDbUnavailable(e)).toBe(true);
      });
      await expect(testDb.db.user.count()).resolves.toBe(0);
    } finally {
      await testDb.cleanup();
    }
  });
});

describe("getDb", () => {
  const saved = process.env.DATABASE_URL;
  afterEach(async () => {
    await disconnectDb();
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    reloadConfig();
  });

  it("returns one client per process for DATABASE_URL", async () => {
    const testDb = await createTestDb("sqlite");
    try {
      process.env.DATABASE_URL = testDb.url;
      reloadConfig();

      expect(getDb()).toBe(getDb());
      expect(dbProvider()).toBe("sqlite");
      await expect(getDb().user.count()).resolves.toBe(0);
    } finally {
      await disconnectDb();
      await testDb.cleanup();
    }
  });

  it("names the provider from the URL", () => {
    expect(dbProvider("file:./data/app.db")).toBe("sqlite");
    expect(dbProvider("postgresql://u@h/db")).toBe("postgresql");
    expect(dbProvider("postgres://u@h/db")).toBe("postgresql");
    expect(() => dbProvider("mysql://u@h/db")).toThrow(/unsupported/);
  });
});
