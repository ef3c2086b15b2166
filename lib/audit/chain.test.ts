import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog } from "@/lib/auth/audit";
import { createDb } from "@/lib/db/client";
import { createTestDeps, type TestDeps } from "@/test/support/deps";
import { type ChainedContent, eventHash, GENESIS_HASH } from "./chain";
import { verifyAuditChain } from "./verify";

const BASE: ChainedContent = {
  seq: 7,
  id: "6f1c2d0e-4b7a-4c55-9a43-1c1f0f4d8e21",
  createdAt: new Date("2026-11-30T12:00:00.123Z"),
  type: "login_failure",
  userId: "u1",
  actorId: "a1",
  subject: "alice",
  address: "203.0.113.7",
  userAgent: "vitest",
  detail: '{"reason":"password"}',
};

describe("eventHash", () => {
  const base = eventHash(BASE, GENESIS_HASH);

  it("is SHA-256 hex", () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash({ ...BASE }, GENESIS_HASH)).toBe(base);
  });

  const changes: Array<[string, Partial<ChainedContent>]> = [
    ["seq", { seq: 8 }],
    ["id", { id: "6f1c2d0e-4b7a-4c55-9a43-1c1f0f4d8e22" }],
    ["createdAt", { createdAt: new Date("2026-11-30T12:00:00.124Z") }],
    ["type", { type: "login_success" }],
    ["userId", { userId: "u2" }],
    ["userId (null)", { userId: null }],
    ["actorId", { actorId: "a2" }],
    ["actorId (null)", { actorId: null }],
    ["subject", { subject: "alicf" }],
    ["subject (empty)", { subject: "" }],
    ["address", { address: "203.0.113.8" }],
    ["userAgent", { userAgent: "vitest " }],
    ["detail", { detail: '{"reason":"totp"}' }],
    ["detail (the string null)", { detail: "null" }],
    ["detail (null)", { detail: null }],
  ];
  it.each(changes)("covers %s", (_field, change) => {
    expect(eventHash({ ...BASE, ...change }, GENESIS_HASH)).not.toBe(base);
  });

  it("covers the previous hash", () => {
    expect(eventHash(BASE, "1".repeat(64))).not.toBe(base);
  });

  it("cannot be fooled by moving text between fields", () => {
    const a = eventHash({ ...BASE, subject: "ab", address: "c" }, GENESIS_HASH);
    const b = eventHash({ ...BASE, subject: "a", address: "bc" }, GENESIS_HASH);
    expect(a).not.toBe(b);
  });
});

describe.each(["sqlite", "postgresql"] as const)("appendEvent on %s", (provider) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps({ provider });
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  async function chain() {
    return deps.db.auditEvent.findMany({ orderBy: { seq: "asc" }, select: { seq: true, createdAt: true, prevHash: true, hash: true } });
  }

  it("gives appends from concurrent promises one gapless chain", async () => {
    const WRITERS = 20;
    // On PostgreSQL a second client is a second pool: the head row's lock, not anything in this
    // process, must order the writers. (better-sqlite3 waits for a lock synchronously, so two
    // SQLite clients in one process would block each other's event loop; the integration suite
    // runs two server processes on one SQLite file instead.)
    const other = provider === "postgresql" ? createDb(deps.config.DATABASE_URL) : null;
    const otherLog = other ? createAuditLog(other, deps.clock) : deps.audit;
    try {
      // As many writers per client as its pool has connections (10): each waits on the head row's
      // lock, never for a connection, which a loaded machine made outlast the pool's 3 s timeout.
      const writes = Array.from({ length: WRITERS }, (_, i) =>
        (i % 2 === 0 ? deps.audit : otherLog).record({ type: "login_failure", subject: `racer${i}`, address: "203.0.113.7" }),
      );
      await Promise.all(writes);
    } finally {
      await other?.$disconnect();
    }
    const events = await chain();
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: WRITERS }, (_, i) => i + 1));
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    const head = await deps.db.auditChain.findUniqueOrThrow({ where: { id: 1 }, select: { seq: true, hash: true } });
    expect(head).toEqual({ seq: WRITERS, hash: events.at(-1)?.hash });
    expect(await verifyAuditChain(deps.db)).toMatchObject({ ok: true, checked: WRITERS });
  });

  it("never lets createdAt go backwards, even when the clock does", async () => {
    const start = deps.clock.now().getTime();
    await deps.audit.record({ type: "login_success" });
    deps.clock.set(start - 60 * 60 * 1_000);
    await deps.audit.record({ type: "logout" });
    deps.clock.set(start + 5_000);
    await deps.audit.record({ type: "login_success" });
    const [a, b, c] = (await chain()).slice(-3);
    expect(a?.createdAt.getTime()).toBe(start);
    expect(b?.createdAt.getTime()).toBe(start);
    expect(c?.createdAt.getTime()).toBe(start + 5_000);
    const head = await deps.db.auditChain.findUniqueOrThrow({ where: { id: 1 }, select: { lastAt: true } });
    expect(head.lastAt.getTime()).toBe(start + 5_000);
    expect((await verifyAuditChain(deps.db)).ok).toBe(true);
  });

  it("stores and hashes text the database cannot keep as given the same way (lone surrogates, NUL)", async () => {
    await deps.audit.record({ type: "login_failure", subject: "a\ud800b", userAgent: "x\u0000y", detail: { half: "\udc00" } });
    const last = await deps.db.auditEvent.findFirstOrThrow({
      orderBy: { seq: "desc" },
      select: { subject: true, userAgent: true, detail: true },
    });
    expect(last).toEqual({ subject: "a\ufffdb", userAgent: "x\ufffdy", detail: '{"half":"\\udc00"}' });
    expect((await verifyAuditChain(deps.db)).ok).toBe(true);
  });

  it("rolls the head back with a failed transaction", async () => {
    const before = await deps.db.auditChain.findUniqueOrThrow({ where: { id: 1 }, select: { seq: true, hash: true } });
    await expect(
      deps.db.$transaction(async (tx) => {
        await deps.audit.record({ type: "role_changed" }, tx);
        throw new Error("the surrounding write failed");
      }),
    ).rejects.toThrow("the surrounding write failed");
    expect(await deps.db.auditChain.findUniqueOrThrow({ where: { id: 1 }, select: { seq: true, hash: true } })).toEqual(before);
    await deps.audit.record({ type: "role_changed" });
    expect((await verifyAuditChain(deps.db)).ok).toBe(true);
  });
});
