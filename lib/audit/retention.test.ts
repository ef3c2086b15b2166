import { afterEach, describe, expect, it } from "vitest";
import { createTestDeps, type TestDeps } from "@/test/support/deps";
import { pruneAuditLog, scheduleAuditRetention } from "./retention";
import { verifyAuditChain } from "./verify";

const DAY = 24 * 60 * 60 * 1_000;

const open: TestDeps[] = [];
afterEach(async () => {
  for (const deps of open.splice(0)) await deps.cleanup();
});

async function depsWith(env: Record<string, string>, provider: "sqlite" | "postgresql" = "sqlite"): Promise<TestDeps> {
  const deps = await createTestDeps({ provider, env });
  open.push(deps);
  deps.clock.set(Date.parse("2026-01-01T00:00:00Z"));
  return deps;
}

/** One event a day for `days` days; the clock ends on the last one. */
async function dailyEvents(deps: TestDeps, days: number): Promise<void> {
  for (let i = 0; i < days; i++) {
    if (i > 0) deps.clock.advance(DAY);
    await deps.audit.record({ type: "login_success", subject: `day${i}` });
  }
}

const remaining = (deps: TestDeps) =>
  deps.db.auditEvent.findMany({ orderBy: { seq: "asc" }, select: { seq: true, type: true, detail: true, createdAt: true } });
const chainHead = (deps: TestDeps) =>
  deps.db.auditChain.findUniqueOrThrow({ where: { id: 1 }, select: { seq: true, prunedThroughSeq: true, prunedThroughHash: true } });

describe("pruneAuditLog", () => {
  it("deletes nothing when AUDIT_RETENTION is unset", async () => {
    const deps = await depsWith({});
    expect(deps.config.AUDIT_RETENTION).toBeNull();
    await dailyEvents(deps, 5);
    deps.clock.advance(10_000 * DAY);
    expect(await pruneAuditLog(deps)).toEqual({ count: 0, throughSeq: 0 });
    expect(await remaining(deps)).toHaveLength(5);
    expect((await chainHead(deps)).prunedThroughSeq).toBe(0);
  });

  it.each(["sqlite", "postgresql"] as const)(
    "deletes events past the retention in batches and keeps the chain verifiable (%s)",
    async (provider) => {
      const deps = await depsWith({ AUDIT_RETENTION: "30d" }, provider);
      await dailyEvents(deps, 40);
      // Days 0..9 are more than 30 days before day 39; day 9 is exactly 30 days old and stays.
      const result = await pruneAuditLog(deps, { batchSize: 3 });
      expect(result).toEqual({ count: 9, throughSeq: 9 });
      const rows = await remaining(deps);
      expect(rows[0]?.seq).toBe(10);
      expect(rows.at(-1)).toMatchObject({ seq: 41, type: "audit_pruned" });
      expect(JSON.parse(rows.at(-1)?.detail ?? "null")).toEqual({ throughSeq: 9, count: 9 });
      expect(await chainHead(deps)).toMatchObject({ seq: 41, prunedThroughSeq: 9 });
      expect(await verifyAuditChain(deps.db)).toEqual({ ok: true, checked: 32, notCovered: 0, range: { first: 10, last: 41 } });

      // Nothing more to do: no second audit_pruned event.
      expect(await pruneAuditLog(deps)).toEqual({ count: 0, throughSeq: 0 });
      expect(await remaining(deps)).toHaveLength(32);

      // A day later, one more event has aged out.
      deps.clock.advance(DAY);
      expect(await pruneAuditLog(deps)).toEqual({ count: 1, throughSeq: 10 });
      expect(await verifyAuditChain(deps.db)).toMatchObject({ ok: true, range: { first: 11, last: 42 } });
    },
  );

  it("never deletes the newest event, which anchors the head", async () => {
    const deps = await depsWith({ AUDIT_RETENTION: "1d" });
    await dailyEvents(deps, 4);
    deps.clock.advance(365 * DAY);
    expect(await pruneAuditLog(deps, { batchSize: 2 })).toEqual({ count: 3, throughSeq: 3 });
    expect((await remaining(deps)).map((e) => e.seq)).toEqual([4, 5]);
    expect(await verifyAuditChain(deps.db)).toMatchObject({ ok: true, checked: 2 });
  });

  it("deletes old events from before the chain without touching the cut", async () => {
    const deps = await depsWith({ AUDIT_RETENTION: "30d" });
    const old = new Date(Date.parse("2025-06-01T00:00:00Z"));
    for (let seq = 1; seq <= 5; seq++) {
      await deps.db.auditEvent.create({
        data: { seq, type: "login_success", createdAt: new Date(old.getTime() + seq * DAY), prevHash: "", hash: "" },
        select: { id: true },
      });
    }
    await deps.db.auditChain.update({ where: { id: 1 }, data: { seq: 5, prunedThroughSeq: 5 }, select: { id: true } });
    await dailyEvents(deps, 3);
    expect(await verifyAuditChain(deps.db)).toMatchObject({ ok: true, checked: 3, notCovered: 5 });
    expect(await pruneAuditLog(deps, { batchSize: 2 })).toEqual({ count: 5, throughSeq: 5 });
    expect((await remaining(deps)).map((e) => e.seq)).toEqual([6, 7, 8, 9]);
    expect(await verifyAuditChain(deps.db)).toEqual({ ok: true, checked: 4, notCovered: 0, range: { first: 6, last: 9 } });
  });

  it("lets two pruners and writers run at once and still leaves one chain", async () => {
    const deps = await depsWith({ AUDIT_RETENTION: "10d" }, "postgresql");
    await dailyEvents(deps, 30);
    const writes = Array.from({ length: 10 }, (_, i) => deps.audit.record({ type: "login_failure", subject: `during${i}` }));
    const [a, b] = await Promise.all([pruneAuditLog(deps, { batchSize: 4 }), pruneAuditLog(deps, { batchSize: 3 }), ...writes]);
    expect((a?.count ?? 0) + (b?.count ?? 0)).toBe(19);
    expect(await verifyAuditChain(deps.db)).toMatchObject({ ok: true });
    expect((await chainHead(deps)).prunedThroughSeq).toBe(19);
  });
});

describe("scheduleAuditRetention", () => {
  it("prunes at once and on every tick, and logs failures instead of throwing", async () => {
    const deps = await depsWith({ AUDIT_RETENTION: "1d" });
    await dailyEvents(deps, 3);
    let calls = 0;
    const stop = scheduleAuditRetention(() => {
      calls++;
      if (calls === 2) throw new Error("database away");
      return deps;
    }, 20);
    try {
      await expect.poll(() => calls, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
      // Day 0 of days 0..2 is older than a day; the rest stay, whichever tick pruned.
      await expect.poll(async () => (await remaining(deps)).map((e) => e.type)).toEqual(["login_success", "login_success", "audit_pruned"]);
      expect(await verifyAuditChain(deps.db)).toMatchObject({ ok: true, checked: 3 });
    } finally {
      stop();
    }
    const after = calls;
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBe(after);
  });
});
