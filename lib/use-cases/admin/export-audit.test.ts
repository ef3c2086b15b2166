import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "@/test/support/csv";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import { csvCell, exportAuditEvents } from "./export-audit";
import { type AuditEventDto, listAuditEvents } from "./list-audit-events";

async function read(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

/** Undoes the formula guard, to compare a CSV cell with the value it came from. */
const unguard = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

describe("csvCell", () => {
  it.each([
    [null, ""],
    ["plain", "plain"],
    [42, "42"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\r\nlines", '"two\r\nlines"'],
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ["+1", "'+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["\rcmd", '"\'\rcmd"'],
    ["a=b", "a=b"],
  ])("%j → %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});

describe("exportAuditEvents", () => {
  let deps: TestDeps;
  let admin: { id: string; username: string };
  let alice: { id: string; username: string };

  beforeAll(async () => {
    deps = await createTestDeps();
    deps.clock.set(Date.parse("2026-03-04T10:00:00Z"));
    admin = await seedUser(deps, { role: "admin" });
    alice = await seedUser(deps);
    const hostile = ['=cmd|"/C calc"!A1', "+SUM(1,2)", "-1", "@import", "tab\tinside", 'quote " and, comma', "line\nbreak"];
    for (const [i, subject] of hostile.entries()) {
      deps.clock.advance(1_000);
      await deps.audit.record({
        type: "login_failure",
        subject,
        address: "203.0.113.9",
        userAgent: `agent, ${i}`,
        detail: { note: subject },
      });
    }
    for (let i = 0; i < 25; i++) {
      deps.clock.advance(1_000);
      await deps.audit.record({ type: i % 2 ? "login_success" : "logout", userId: alice.id, actorId: alice.id, subject: alice.username });
    }
    await deps.audit.record({ type: "role_changed", userId: alice.id, actorId: admin.id, detail: { from: "user", to: "admin" } });
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  const actor = () => ({ actorId: admin.id, ...meta });

  async function paged(filters: { type?: string; user?: string }): Promise<AuditEventDto[]> {
    const all: AuditEventDto[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditEvents(deps, { ...filters, cursor, limit: 7 });
      all.push(...page.events);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  it("streams NDJSON that matches the paged API, and records the export", async () => {
    const file = await exportAuditEvents(deps, { format: "ndjson", filters: { user: alice.id }, actor: actor() });
    expect(file.contentType).toBe("application/x-ndjson");
    expect(file.filename).toBe("latchkey-audit-2026-03-04.ndjson");
    const text = await read(file.body);
    expect(text.endsWith("\n")).toBe(true);
    const lines = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as AuditEventDto);
    expect(lines).toHaveLength(26);
    expect(lines).toEqual(await paged({ user: alice.id }));

    const recorded = await listAuditEvents(deps, { type: "audit_exported", limit: 1 });
    expect(recorded.events[0]).toMatchObject({
      type: "audit_exported",
      user: { id: admin.id, username: admin.username },
      actor: { id: admin.id, username: admin.username },
      address: meta.address,
      detail: { format: "ndjson", filters: { user: alice.id } },
    });
  });

  it("streams CSV with a header, RFC 4180 quoting and formula-safe cells", async () => {
    const file = await exportAuditEvents(deps, { format: "csv", filters: { type: "login_failure" }, actor: actor() });
    expect(file.contentType).toBe("text/csv; charset=utf-8");
    expect(file.filename).toBe("latchkey-audit-2026-03-04.csv");
    const rows = parseCsv(await read(file.body));
    const [header, ...records] = rows;
    expect(header).toEqual([
      "id",
      "seq",
      "createdAt",
      "type",
      "userId",
      "username",
      "actorId",
      "actorUsername",
      "subject",
      "address",
      "userAgent",
      "detail",
    ]);
    const expected = await paged({ type: "login_failure" });
    expect(records).toHaveLength(7);
    expect(records.map((r) => r[0])).toEqual(expected.map((e) => e.id));
    for (const [i, r] of records.entries()) {
      const e = expected[i] as AuditEventDto;
      expect(r).toHaveLength(12);
      expect(r.slice(1, 4)).toEqual([String(e.seq), e.createdAt, "login_failure"]);
      expect(unguard(r[8] ?? "")).toBe(e.subject);
      expect(r[10]).toBe(e.userAgent);
      expect(JSON.parse(r[11] ?? "")).toEqual(e.detail);
      // No cell may open with a formula character once a spreadsheet has unquoted it.
      for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(records.map((r) => r[8])).toContain('\'=cmd|"/C calc"!A1');
  });

  it("exports the whole log, newest first", async () => {
    const file = await exportAuditEvents(deps, { format: "ndjson", filters: {}, actor: actor() });
    const lines = (await read(file.body))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as AuditEventDto);
    const seqs = lines.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(lines).toEqual(await paged({}));
    // Its own audit_exported event is the newest line: the export is recorded before it is read.
    expect(lines[0]).toMatchObject({ type: "audit_exported", detail: { format: "ndjson", filters: {} } });
  });

  it("gives a header only, or nothing, when no event matches", async () => {
    const csv = await exportAuditEvents(deps, { format: "csv", filters: { type: "passkey_added" }, actor: actor() });
    expect(await read(csv.body)).toBe("id,seq,createdAt,type,userId,username,actorId,actorUsername,subject,address,userAgent,detail\r\n");
    const ndjson = await exportAuditEvents(deps, { format: "ndjson", filters: { from: new Date("2099-01-01") }, actor: actor() });
    expect(await read(ndjson.body)).toBe("");
  });

  it("stops reading the database when the client goes away", async () => {
    const file = await exportAuditEvents(deps, { format: "ndjson", filters: {}, actor: actor() });
    const reader = file.body.getReader();
    const chunk = await reader.read();
    expect(chunk.done).toBe(false);
    await reader.cancel();
  });
});

describe("exportAuditEvents over more than one batch", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
    // Rows straight in the table (the export does not check the chain), past one read batch.
    const start = Date.parse("2026-01-01T00:00:00Z");
    const rows = Array.from({ length: 2_345 }, (_, i) => ({
      seq: i + 1,
      type: "login_failure",
      subject: `n${i}`,
      createdAt: new Date(start + i * 1_000),
      prevHash: "",
      hash: "",
    }));
    await deps.db.auditEvent.createMany({ data: rows });
    await deps.db.auditChain.update({ where: { id: 1 }, data: { seq: rows.length, prunedThroughSeq: rows.length }, select: { id: true } });
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it.each(["csv", "ndjson"] as const)("streams every event once, in order (%s)", async (format) => {
    const admin = await seedUser(deps, { role: "admin" });
    const file = await exportAuditEvents(deps, { format, filters: { type: "login_failure" }, actor: { actorId: admin.id, ...meta } });
    const text = await read(file.body);
    const seqs =
      format === "csv"
        ? parseCsv(text)
            .slice(1)
            .map((r) => Number(r[1]))
        : text
            .trimEnd()
            .split("\n")
            .map((l) => (JSON.parse(l) as AuditEventDto).seq);
    expect(seqs).toEqual(Array.from({ length: 2_345 }, (_, i) => 2_345 - i));
  });
});
