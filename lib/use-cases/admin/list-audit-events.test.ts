import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDeps, seedUser, type TestDeps } from "@/test/support/deps";
import { type AuditEventDto, listAuditEvents } from "./list-audit-events";

const SECOND = 1_000;

describe("listAuditEvents", () => {
  let deps: TestDeps;
  let alice: { id: string; username: string };
  let admin: { id: string; username: string };
  const ghost = `ghost${randomUUID().slice(0, 6)}`;
  /** Ids of alice's events (as subject or as actor), newest first. */
  const aliceEvents: string[] = [];

  beforeAll(async () => {
    deps = await createTestDeps();
    alice = await seedUser(deps);
    admin = await seedUser(deps, { role: "admin" });
    const bob = await seedUser(deps);
    const start = Date.parse("2026-02-01T00:00:00Z");
    let n = 0;
    const add = async (data: { type: string; userId?: string; actorId?: string; subject?: string; detail?: string | null }) => {
      const row = await deps.db.auditEvent.create({
        data: { address: "203.0.113.7", userAgent: "vitest", ...data, createdAt: new Date(start + n++ * SECOND) },
        select: { id: true },
      });
      return row.id;
    };
    const mine = [
      await add({ type: "login_success", userId: alice.id, actorId: alice.id, subject: alice.username }),
      await add({ type: "login_failure", userId: alice.id, subject: alice.username }),
      await add({ type: "role_changed", userId: alice.id, actorId: admin.id, detail: JSON.stringify({ from: "user", to: "admin" }) }),
      await add({ type: "login_success", userId: alice.id, actorId: alice.id, subject: alice.username }),
      // alice acting on bob counts as one of hers too.
      await add({ type: "user_disabled", userId: bob.id, actorId: alice.id }),
    ];
    await add({ type: "login_success", userId: bob.id, actorId: bob.id });
    await add({ type: "login_failure", subject: ghost });
    await add({ type: "login_throttled", subject: ghost, detail: "{not json" });
    mine.push(await add({ type: "logout", userId: alice.id, actorId: alice.id }));
    // Three events in the same millisecond: the cursor must not lose or repeat any of them.
    const tied = new Date(start + n * SECOND);
    for (let i = 0; i < 3; i++) {
      const row = await deps.db.auditEvent.create({
        data: { type: "session_revoked", userId: alice.id, actorId: alice.id, createdAt: tied },
        select: { id: true },
      });
      mine.push(row.id);
    }
    const tiedIds = mine.splice(-3).sort().reverse();
    aliceEvents.push(...tiedIds, ...mine.reverse());
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  async function allPages(query: { type?: string; user?: string; limit: number }): Promise<AuditEventDto[][]> {
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

  it("lists newest first, with names resolved and details parsed", async () => {
    const { events, nextCursor } = await listAuditEvents(deps, { limit: 100 });
    expect(nextCursor).toBeNull();
    expect(events).toHaveLength(12);
    const times = events.map((e) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const promoted = events.find((e) => e.type === "role_changed");
    expect(promoted).toMatchObject({
      userId: alice.id,
      username: alice.username,
      actorUsername: admin.username,
      address: "203.0.113.7",
      userAgent: "vitest",
      detail: { from: "user", to: "admin" },
    });
    const throttled = events.find((e) => e.type === "login_throttled");
    expect(throttled).toMatchObject({ userId: null, username: null, actorUsername: null, subject: ghost, detail: null });
  });

  it("filters by type", async () => {
    const { events } = await listAuditEvents(deps, { type: "login_success", limit: 100 });
    expect(events).toHaveLength(3);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(["login_success"]));
    expect((await listAuditEvents(deps, { type: "user_deleted", limit: 100 })).events).toEqual([]);
  });

  it("filters by user, given as a username in any case or as an id, as subject or actor", async () => {
    for (const user of [alice.username, alice.username.toUpperCase(), alice.id]) {
      const { events } = await listAuditEvents(deps, { user, limit: 100 });
      expect(events.map((e) => e.id)).toEqual(aliceEvents);
    }
  });

  it("filters by the attempted name for names with no account", async () => {
    const { events } = await listAuditEvents(deps, { user: ghost.toUpperCase(), limit: 100 });
    expect(events.map((e) => [e.type, e.subject])).toEqual([
      ["login_throttled", ghost],
      ["login_failure", ghost],
    ]);
    expect((await listAuditEvents(deps, { user: `${ghost}x`, limit: 100 })).events).toEqual([]);
  });

  it("combines the type and user filters", async () => {
    const { events } = await listAuditEvents(deps, { type: "login_success", user: alice.username, limit: 100 });
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.type === "login_success" && e.userId === alice.id)).toBe(true);
  });

  it("pages with a cursor: nothing skipped or repeated, ties in time included", async () => {
    const everything = (await listAuditEvents(deps, { limit: 100 })).events.map((e) => e.id);
    for (const limit of [1, 2, 5]) {
      const pages = await allPages({ limit });
      expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
      expect(pages.flat().map((e) => e.id)).toEqual(everything);
    }
    const filtered = await allPages({ user: alice.username, limit: 2 });
    expect(filtered.map((p) => p.length)).toEqual([2, 2, 2, 2, 1]);
    expect(filtered.flat().map((e) => e.id)).toEqual(aliceEvents);
  });

  it("refuses a cursor it did not make with validation_failed", async () => {
    await expect(listAuditEvents(deps, { cursor: "bogus", limit: 10 })).rejects.toMatchObject({ code: "validation_failed" });
  });
});
