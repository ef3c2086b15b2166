import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDeps, type TestDeps } from "@/test/support/deps";
import { EVENT_COLUMNS, eventHash } from "./chain";
import { type AuditReader, prismaAuditReader, verifyAuditChain } from "./verify";

const open: TestDeps[] = [];
afterEach(async () => {
  for (const deps of open.splice(0)) await deps.cleanup();
});

async function logWith(events: number, provider: "sqlite" | "postgresql" = "sqlite"): Promise<TestDeps> {
  const deps = await createTestDeps({ provider });
  open.push(deps);
  await append(deps, events);
  return deps;
}

async function append(deps: TestDeps, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    deps.clock.advance(1_000);
    await deps.audit.record({ type: "login_failure", subject: `name${i}`, address: "203.0.113.7", detail: { attempt: i } });
  }
}

const eventAt = (deps: TestDeps, seq: number) => deps.db.auditEvent.findUniqueOrThrow({ where: { seq }, select: EVENT_COLUMNS });
const head = (deps: TestDeps) =>
  deps.db.auditChain.findUniqueOrThrow({ where: { id: 1 }, select: { seq: true, hash: true, prunedThroughSeq: true } });

describe("verifyAuditChain", () => {
  it("accepts an intact chain, in batches smaller than the log", async () => {
    const deps = await logWith(12);
    for (const batchSize of [1, 5, 12, 5_000]) {
      expect(await verifyAuditChain(deps.db, { batchSize })).toEqual({
        ok: true,
        checked: 12,
        notCovered: 0,
        range: { first: 1, last: 12 },
      });
    }
  });

  it("accepts an empty log", async () => {
    const deps = await logWith(0);
    expect(await verifyAuditChain(deps.db)).toEqual({ ok: true, checked: 0, notCovered: 0, range: null });
  });

  it("names an edited event", async () => {
    const deps = await logWith(10);
    const target = await eventAt(deps, 4);
    await deps.db.auditEvent.update({ where: { seq: 4 }, data: { address: "198.51.100.1" }, select: { id: true } });
    const result = await verifyAuditChain(deps.db, { batchSize: 3 });
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({ seq: 4, id: target.id, reason: expect.stringContaining("edited") });
  });

  it("names an event edited and re-hashed, through the next event's prevHash", async () => {
    const deps = await logWith(10);
    const target = await eventAt(deps, 6);
    const edited = { ...target, type: "login_success" };
    await deps.db.auditEvent.update({
      where: { seq: 6 },
      data: { type: edited.type, hash: eventHash(edited, edited.prevHash) },
      select: { id: true },
    });
    const result = await verifyAuditChain(deps.db);
    expect(result.firstBroken).toEqual({ seq: 6, id: target.id, reason: expect.stringMatching(/re-hashed.*seq 7|seq 7.*re-hashed/) });
  });

  it("names the newest event when it was edited and re-hashed", async () => {
    const deps = await logWith(5);
    const target = await eventAt(deps, 5);
    const edited = { ...target, subject: "someone else" };
    await deps.db.auditEvent.update({
      where: { seq: 5 },
      data: { subject: edited.subject, hash: eventHash(edited, edited.prevHash) },
      select: { id: true },
    });
    expect((await verifyAuditChain(deps.db)).firstBroken).toMatchObject({ seq: 5, id: target.id, reason: expect.stringContaining("head") });
  });

  it("names the event after a deleted one", async () => {
    const deps = await logWith(10);
    await deps.db.auditEvent.delete({ where: { seq: 5 }, select: { id: true } });
    const after = await eventAt(deps, 6);
    const result = await verifyAuditChain(deps.db, { batchSize: 4 });
    expect(result.firstBroken).toEqual({ seq: 6, id: after.id, reason: "event seq 5 is missing (deleted) before this event" });
    expect(result.checked).toBe(4);
  });

  it("catches a deleted event replaced by a well-formed forgery", async () => {
    const deps = await logWith(8);
    const original = await eventAt(deps, 3);
    const forged = { ...original, id: randomUUID(), type: "login_success" };
    await deps.db.auditEvent.delete({ where: { seq: 3 }, select: { id: true } });
    await deps.db.auditEvent.create({ data: { ...forged, hash: eventHash(forged, forged.prevHash) }, select: { id: true } });
    expect((await verifyAuditChain(deps.db)).firstBroken).toMatchObject({ seq: 3, id: forged.id });
  });

  it("notices a deleted tail through the head", async () => {
    const deps = await logWith(10);
    await deps.db.auditEvent.deleteMany({ where: { seq: { gte: 9 } } });
    expect((await verifyAuditChain(deps.db)).firstBroken).toEqual({
      seq: 9,
      id: null,
      reason: "events seq 9–10 are missing: the chain head records seq 10 as the newest",
    });
  });

  it("names a row inserted beyond the head, even a copy of a real event", async () => {
    const deps = await logWith(6);
    const last = await eventAt(deps, 6);
    const copy = { ...last, id: randomUUID(), seq: 7, prevHash: last.hash };
    await deps.db.auditEvent.create({ data: { ...copy, hash: eventHash(copy, copy.prevHash) }, select: { id: true } });
    expect((await verifyAuditChain(deps.db)).firstBroken).toEqual({
      seq: 7,
      id: copy.id,
      reason: expect.stringContaining("beyond the chain head (seq 6)"),
    });
  });

  it("names a row inserted below the first seq", async () => {
    const deps = await logWith(3);
    const first = await eventAt(deps, 1);
    const id = randomUUID();
    await deps.db.auditEvent.create({ data: { ...first, id, seq: 0 }, select: { id: true } });
    expect((await verifyAuditChain(deps.db)).firstBroken).toMatchObject({ seq: 0, id });
  });

  it("names the first event when it no longer follows the genesis hash", async () => {
    const deps = await logWith(4);
    const first = await eventAt(deps, 1);
    const forged = { ...first, prevHash: "f".repeat(64) };
    await deps.db.auditEvent.update({
      where: { seq: 1 },
      data: { prevHash: forged.prevHash, hash: eventHash(forged, forged.prevHash) },
      select: { id: true },
    });
    expect((await verifyAuditChain(deps.db)).firstBroken).toMatchObject({ seq: 1, id: first.id, reason: expect.stringContaining("seq 1") });
  });

  it("counts a legacy prefix from before the chain as not covered", async () => {
    const deps = await createTestDeps();
    open.push(deps);
    // As the migration leaves a log that existed before the chain: seq 1..3, no hashes, the cut after them.
    for (let seq = 1; seq <= 3; seq++) {
      await deps.db.auditEvent.create({ data: { seq, type: "login_success", prevHash: "", hash: "" }, select: { id: true } });
    }
    await deps.db.auditChain.update({ where: { id: 1 }, data: { seq: 3, prunedThroughSeq: 3 }, select: { id: true } });
    await append(deps, 4);
    expect(await verifyAuditChain(deps.db, { batchSize: 2 })).toEqual({
      ok: true,
      checked: 4,
      notCovered: 3,
      range: { first: 4, last: 7 },
    });
    // The legacy rows are not vouched for: editing one goes unnoticed, deleting one too.
    await deps.db.auditEvent.update({ where: { seq: 2 }, data: { type: "logout" }, select: { id: true } });
    await deps.db.auditEvent.delete({ where: { seq: 1 }, select: { id: true } });
    expect(await verifyAuditChain(deps.db)).toMatchObject({ ok: true, checked: 4, notCovered: 2 });
  });

  it("accepts a prefix cut recorded in the head, and only then", async () => {
    const deps = await logWith(10);
    const lastCut = await eventAt(deps, 4);
    await deps.db.auditEvent.deleteMany({ where: { seq: { lte: 4 } } });
    const fifth = await eventAt(deps, 5);
    expect((await verifyAuditChain(deps.db)).firstBroken).toMatchObject({ seq: 5, id: fifth.id });
    await deps.db.auditChain.update({ where: { id: 1 }, data: { prunedThroughSeq: 4 }, select: { id: true } });
    // The cut's seq alone is not enough: the first remaining event must name the cut's hash.
    expect((await verifyAuditChain(deps.db)).firstBroken).toMatchObject({ seq: 5, id: fifth.id });
    await deps.db.auditChain.update({ where: { id: 1 }, data: { prunedThroughHash: lastCut.hash }, select: { id: true } });
    expect(await verifyAuditChain(deps.db)).toEqual({ ok: true, checked: 6, notCovered: 0, range: { first: 5, last: 10 } });
  });

  it("does not mistake events appended during the walk for forgeries", async () => {
    const deps = await logWith(6);
    const plain = prismaAuditReader(deps.db);
    let appended = false;
    const busy: AuditReader = {
      ...plain,
      async after(seq, limit) {
        const rows = await plain.after(seq, limit);
        if (!appended) {
          appended = true;
          await append(deps, 3);
        }
        return rows;
      },
    };
    expect(await verifyAuditChain(busy, { batchSize: 2 })).toMatchObject({ ok: true, checked: 9 });
    expect((await head(deps)).seq).toBe(9);
  });

  it("walks again when a retention cut lands during the walk", async () => {
    const deps = await logWith(8);
    const plain = prismaAuditReader(deps.db);
    let cut = false;
    const pruned: AuditReader = {
      ...plain,
      async after(seq, limit) {
        if (!cut) {
          cut = true;
          const last = await eventAt(deps, 3);
          await deps.db.auditEvent.deleteMany({ where: { seq: { lte: 3 } } });
          await deps.db.auditChain.update({
            where: { id: 1 },
            data: { prunedThroughSeq: 3, prunedThroughHash: last.hash },
            select: { id: true },
          });
        }
        return plain.after(seq, limit);
      },
    };
    expect(await verifyAuditChain(pruned)).toMatchObject({ ok: true, checked: 5, range: { first: 4, last: 8 } });
  });
});

const ROOT = path.resolve(__dirname, "../..");

function auditVerify(databaseUrl: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/audit-verify.ts", ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", DATABASE_URL: databaseUrl } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.each(["sqlite", "postgresql"] as const)("npm run audit:verify on %s", (provider) => {
  it("reports an intact log, then the first broken event, and exits 0 then 1", async () => {
    const deps = await logWith(5, provider);
    const intact = await auditVerify(deps.config.DATABASE_URL);
    expect(intact.stderr).toBe("");
    expect(intact.stdout).toMatch(/^audit log intact: 5 events \(seq 1–5\); checked in [\d.]+ s\n$/);
    expect(intact.code).toBe(0);

    const target = await eventAt(deps, 2);
    await deps.db.auditEvent.update({ where: { seq: 2 }, data: { detail: '{"attempt":99}' }, select: { id: true } });
    const broken = await auditVerify(deps.config.DATABASE_URL);
    expect(broken.stdout).toBe(
      `audit log broken at event ${target.id} (seq 2): its content does not match its hash: the event was edited\n`,
    );
    expect(broken.code).toBe(1);

    await deps.db.auditEvent.update({ where: { seq: 2 }, data: { detail: target.detail }, select: { id: true } });
    await deps.db.auditEvent.deleteMany({ where: { seq: 5 } });
    const tail = await auditVerify(deps.config.DATABASE_URL);
    expect(tail.stdout).toMatch(/^audit log broken at seq 5 \(missing event\): event seq 5 is missing/);
    expect(tail.code).toBe(1);
  });
});

describe("npm run audit:verify errors", () => {
  it("exits 2 on a database it cannot read and on unknown arguments", async () => {
    const missing = await auditVerify(`file:/tmp/latchkey-no-such-dir-${randomUUID()}/app.db`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^audit:verify: /);
    const usage = await auditVerify("file:./data/app.db", ["--frobnicate"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("usage:");
  });
});
