import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditType } from "@/lib/auth/audit";
import { createTestDeps, seedUser, type TestDeps } from "@/test/support/deps";
import { type AuditEventDto, eachAuditEvent, eventsOfAccount, type ListAuditEventsInput, listAuditEvents } from "./list-audit-events";

const SECOND = 1_000;

describe.each(["sqlite", "postgresql"] as const)("listAuditEvents on %s", (provider) => {
  let deps: TestDeps;
  let alice: { id: string; username: string };
  let admin: { id: string; username: string };
  let bob: { id: string; username: string };
  const ghost = `ghost${randomUUID().slice(0, 6)}`;
  const start = Date.parse("2026-02-01T00:00:00Z");
  /** Seqs of events about alice, newest first. */
  const aboutAlice: number[] = [];

  beforeAll(async () => {
    deps = await createTestDeps({ provider });
    alice = await seedUser(deps);
    admin = await seedUser(deps, { role: "admin" });
    bob = await seedUser(deps);
    let n = 0;
    const add = async (event: {
      type: AuditType;
      userId?: string;
      actorId?: string;
      subject?: string;
      detail?: Record<string, unknown>;
    }) => {
      deps.clock.set(start + n++ * SECOND);
      await deps.audit.record({ address: "203.0.113.7", userAgent: "vitest", ...event });
      const head = await deps.db.auditChain.findUniqueOrThrow({ where: { id: 1 }, select: { seq: true } });
      if (event.userId === alice.id) aboutAlice.unshift(head.seq);
    };
    await add({ type: "login_success", userId: alice.id, actorId: alice.id, subject: alice.username });
    await add({ type: "login_failure", userId: alice.id, subject: alice.username });
    await add({ type: "role_changed", userId: alice.id, actorId: admin.id, detail: { from: "user", to: "admin" } });
    await add({ type: "login_success", userId: alice.id, actorId: alice.id, subject: alice.username });
    // alice acting on bob: one of hers as actor, not about her.
    await add({ type: "user_disabled", userId: bob.id, actorId: alice.id });
    await add({ type: "login_success", userId: bob.id, actorId: bob.id });
    await add({ type: "login_failure", subject: ghost });
    await add({ type: "login_throttled", subject: ghost });
    await add({ type: "logout", userId: alice.id, actorId: alice.id });
    // Three events at one instant, and one written while the clock had gone back a minute.
    n += 1;
    for (let i = 0; i < 3; i++) {
      deps.clock.set(start + n * SECOND);
      await deps.audit.record({ type: "session_revoked", userId: alice.id, actorId: alice.id });
      aboutAlice.unshift((await deps.db.auditChain.findUniqueOrThrow({ where: { id: 1 } })).seq);
    }
    deps.clock.set(start + (n - 60) * SECOND);
    await deps.audit.record({ type: "logout", userId: bob.id, actorId: bob.id });
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  async function allPages(query: Omit<ListAuditEventsInput, "cursor">): Promise<AuditEventDto[][]> {
    const pages: AuditEventDto[][] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listAuditEvents(deps, { ...query, cursor });
      expect(page.events.length).toBeLessThanOrEqual(query.limit);
      pages.push(page.events);
      if (!page.nextCursor) return pages;
      expect(pages.length).toBeLessThan(50);
      cursor = page.nextCursor;
    }
  }

  it("lists newest first by seq, with times that never go backwards, names resolved and details parsed", async () => {
    const { events, nextCursor } = await listAuditEvents(deps, { limit: 100 });
    expect(nextCursor).toBeNull();
    expect(events).toHaveLength(13);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const times = events.map((e) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const promoted = events.find((e) => e.type === "role_changed");
    expect(promoted).toMatchObject({
      user: { id: alice.id, username: alice.username },
      actor: { id: admin.id, username: admin.username },
      address: "203.0.113.7",
      userAgent: "vitest",
      detail: { from: "user", to: "admin" },
    });
    const throttled = events.find((e) => e.type === "login_throttled");
    expect(throttled).toMatchObject({ user: null, actor: null, subject: ghost, detail: null });
  });

  it("filters by type", async () => {
    const { events } = await listAuditEvents(deps, { type: "login_success", limit: 100 });
    expect(events).toHaveLength(3);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(["login_success"]));
    expect((await listAuditEvents(deps, { type: "user_deleted", limit: 100 })).events).toEqual([]);
  });

  it("filters by user (an id or a username) and by actor, separately", async () => {
    for (const user of [alice.username, alice.id]) {
      const { events } = await listAuditEvents(deps, { user, limit: 100 });
      expect(events.map((e) => e.seq)).toEqual(aboutAlice);
    }
    const byAlice = await listAuditEvents(deps, { actor: alice.id, limit: 100 });
    expect(byAlice.events.every((e) => e.actor?.id === alice.id)).toBe(true);
    expect(byAlice.events.map((e) => e.type)).toContain("user_disabled");
    expect(byAlice.events).toHaveLength(7);
    const byAdminAboutAlice = await listAuditEvents(deps, { actor: admin.username, user: alice.id, limit: 100 });
    expect(byAdminAboutAlice.events.map((e) => e.type)).toEqual(["role_changed"]);
    expect((await listAuditEvents(deps, { actor: `nobody${randomUUID()}`.slice(0, 30), limit: 100 })).events).toEqual([]);
  });

  it("filters by the attempted name for names with no account", async () => {
    const { events } = await listAuditEvents(deps, { user: ghost, limit: 100 });
    expect(events.map((e) => [e.type, e.subject])).toEqual([
      ["login_throttled", ghost],
      ["login_failure", ghost],
    ]);
    expect((await listAuditEvents(deps, { user: `${ghost}x`, limit: 100 })).events).toEqual([]);
  });

  it("filters by time range, inclusive at both ends, alone and with other filters", async () => {
    const from = new Date(start + 2 * SECOND);
    const to = new Date(start + 5 * SECOND);
    const { events } = await listAuditEvents(deps, { from, to, limit: 100 });
    expect(events.map((e) => e.type)).toEqual(["login_success", "user_disabled", "login_success", "role_changed"]);
    const mine = await listAuditEvents(deps, { from, to, user: alice.id, limit: 100 });
    expect(mine.events.map((e) => e.type)).toEqual(["login_success", "role_changed"]);
    expect((await listAuditEvents(deps, { from: to, to: from, limit: 100 })).events).toEqual([]);
    expect((await listAuditEvents(deps, { from: new Date(start + 10_000 * SECOND), limit: 100 })).events).toEqual([]);
    expect((await listAuditEvents(deps, { to: new Date(start - SECOND), limit: 100 })).events).toEqual([]);
  });

  it("pages with a cursor: nothing skipped or repeated, ties in time included", async () => {
    const everything = (await listAuditEvents(deps, { limit: 100 })).events.map((e) => e.id);
    for (const limit of [1, 2, 5]) {
      const pages = await allPages({ limit });
      expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
      expect(pages.flat().map((e) => e.id)).toEqual(everything);
    }
    const filtered = await allPages({ user: alice.id, limit: 2 });
    expect(filtered.map((p) => p.length)).toEqual([2, 2, 2, 2]);
    expect(filtered.flat().map((e) => e.seq)).toEqual(aboutAlice);
  });

  it("streams every matching event in batches for the export", async () => {
    const batches: AuditEventDto[][] = [];
    for await (const batch of eachAuditEvent(deps, { user: alice.id }, 3)) batches.push(batch);
    expect(batches.map((b) => b.length)).toEqual([3, 3, 2]);
    expect(batches.flat().map((e) => e.seq)).toEqual(aboutAlice);
  });

  it("gives an account's latest events, about it or done by it", async () => {
    const events = await eventsOfAccount(deps, alice.id, 100);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(events.every((e) => e.user?.id === alice.id || e.actor?.id === alice.id)).toBe(true);
    expect(events.map((e) => e.type)).toContain("user_disabled");
    expect(events).toHaveLength(aboutAlice.length + 1);
    expect(await eventsOfAccount(deps, bob.id, 2)).toHaveLength(2);
  });

  it("refuses a cursor it did not make with validation_failed", async () => {
    await expect(listAuditEvents(deps, { cursor: "bogus", limit: 10 })).rejects.toMatchObject({ code: "validation_failed" });
  });
});
