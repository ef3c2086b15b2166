import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, revokeSessions } from "@/lib/auth/session-store";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import { type AdminUserDto, type ListUsersInput, listUsers } from "./list-users";

const MINUTE = 60_000;

// Both databases: the prefix search relies on byte-ordered comparison, which PostgreSQL gets from
// the columns' COLLATE "C".
describe.each(["sqlite", "postgresql"] as const)("listUsers on %s", (provider) => {
  let deps: TestDeps;
  const tag = `lu${randomUUID().slice(0, 6)}`;
  /** The accounts whose username or email starts with `tag`, in creation order. */
  const matching: string[] = [];
  /** Every account this suite made, with what the sorts and filters look at. */
  const made: { id: string; username: string; createdAt: number; lastSeenAt: number | null; role: string; disabled: boolean }[] = [];

  beforeAll(async () => {
    deps = await createTestDeps({ provider });
    // Matching and non-matching accounts interleaved, created one minute apart, so that a page
    // boundary always has accounts of both kinds on either side.
    const start = Date.parse("2026-01-01T00:00:00Z");
    for (let i = 0; i < 15; i++) {
      const kind = i % 3;
      const role = i % 4 === 0 ? "admin" : "user";
      const disabled = i % 5 === 0;
      const user = await seedUser(deps, {
        username: kind === 0 ? `${tag}-${i}` : `other${randomUUID().slice(0, 6)}-${i}`,
        // kind 1 matches by its email only; kind 2 holds the tag, but not at the start.
        email: kind === 1 ? `${tag}.x${i}@example.com` : kind === 2 ? `x${i}.${tag}@example.com` : null,
        role,
        disabled,
      });
      const createdAt = start + i * MINUTE;
      // Last seen: a third never, the rest in an order unrelated to creation (ties included).
      const lastSeenAt = i % 3 === 2 ? null : start + ((i * 7) % 5) * MINUTE;
      await deps.db.user.update({
        where: { id: user.id },
        data: { createdAt: new Date(createdAt), lastSeenAt: lastSeenAt === null ? null : new Date(lastSeenAt) },
        select: { id: true },
      });
      made.push({ id: user.id, username: user.username, createdAt, lastSeenAt, role, disabled });
      if (kind !== 2) matching.push(user.id);
    }
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  async function allPages(query: Omit<ListUsersInput, "cursor">): Promise<AdminUserDto[][]> {
    const pages: AdminUserDto[][] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listUsers(deps, { ...query, cursor });
      pages.push(page.users);
      expect(page.users.length).toBeLessThanOrEqual(query.limit);
      if (!page.nextCursor) return pages;
      expect(pages.length).toBeLessThan(50);
      cursor = page.nextCursor;
    }
  }

  it("finds accounts by a username or email prefix, case-insensitively and ignoring surrounding spaces", async () => {
    const { users, nextCursor } = await listUsers(deps, { q: `  ${tag.toUpperCase()} `, limit: 100 });
    expect(users.map((u) => u.id).sort()).toEqual([...matching].sort());
    expect(nextCursor).toBeNull();
    expect((await listUsers(deps, { q: `${tag}-nobody`, limit: 100 })).users).toEqual([]);
    // A prefix, not a substring: the tag in the middle of an email finds nothing by itself.
    expect((await listUsers(deps, { q: `x2.${tag}`, limit: 100 })).users.map((u) => u.email)).toEqual([`x2.${tag}@example.com`]);
    expect((await listUsers(deps, { q: tag.slice(1), limit: 100 })).users).toEqual([]);
  });

  it("lists newest first by default, and pages through every account with nothing skipped or repeated", async () => {
    const everyone = await listUsers(deps, { limit: 100 });
    expect(everyone.users).toHaveLength(await deps.db.user.count());
    const created = everyone.users.map((u) => Date.parse(u.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    const pages = await allPages({ limit: 4 });
    expect(pages.slice(0, -1).every((p) => p.length === 4)).toBe(true);
    expect(pages.flat().map((u) => u.id)).toEqual(everyone.users.map((u) => u.id));
  });

  it("keeps the search applied on every page, in every sort", async () => {
    for (const sort of ["created", "username", "last_seen"] as const) {
      const pages = await allPages({ q: tag, sort, limit: 3 });
      const ids = pages.flat().map((u) => u.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...matching].sort());
    }
  });

  it("sorts by username, and by last seen with never-seen accounts last", async () => {
    const ours = new Set(made.map((m) => m.id));
    const byName = (await allPages({ sort: "username", limit: 4 })).flat().filter((u) => ours.has(u.id));
    expect(byName.map((u) => u.username)).toEqual(made.map((m) => m.username).sort());

    const bySeen = (await allPages({ sort: "last_seen", limit: 4 })).flat().filter((u) => ours.has(u.id));
    const expected = [...made].sort((a, b) => {
      if (a.lastSeenAt === null || b.lastSeenAt === null)
        return a.lastSeenAt === null ? (b.lastSeenAt === null ? (a.id < b.id ? 1 : -1) : 1) : -1;
      return b.lastSeenAt - a.lastSeenAt || (a.id < b.id ? 1 : -1);
    });
    expect(bySeen.map((u) => u.id)).toEqual(expected.map((m) => m.id));
    expect(bySeen.at(-1)?.lastSeenAt).toBeNull();
  });

  it("filters by role and status, alone, together and with the search", async () => {
    const ours = new Set(made.map((m) => m.id));
    const pick = async (query: Omit<ListUsersInput, "cursor" | "limit">) =>
      (await allPages({ ...query, limit: 2 }))
        .flat()
        .filter((u) => ours.has(u.id))
        .map((u) => u.id)
        .sort();
    const want = (f: (m: (typeof made)[number]) => boolean) =>
      made
        .filter(f)
        .map((m) => m.id)
        .sort();
    expect(await pick({ role: "admin" })).toEqual(want((m) => m.role === "admin"));
    expect(await pick({ status: "disabled" })).toEqual(want((m) => m.disabled));
    expect(await pick({ status: "active", role: "user" })).toEqual(want((m) => !m.disabled && m.role === "user"));
    expect(await pick({ q: tag, status: "active" })).toEqual(want((m) => !m.disabled && matching.includes(m.id)));
  });

  it("describes each account: role, status, live sessions and when it was last seen", async () => {
    const user = await seedUser(deps, { role: "admin", disabled: true, email: `${tag}.seen@example.com` });
    const t0 = deps.clock.now().getTime();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      deps.clock.set(t0 + i * MINUTE);
      ids.push((await createSession(deps, { userId: user.id, ...meta })).sessionId);
    }
    // Of the four: one signed out, one past its absolute end.
    await revokeSessions(deps, { sessionId: ids[3] as string }, "logout");
    await deps.db.session.update({ where: { id: ids[2] as string }, data: { expiresAt: new Date(t0) }, select: { id: true } });
    await deps.db.user.update({ where: { id: user.id }, data: { lastSeenAt: new Date(t0 + MINUTE) }, select: { id: true } });

    const { users } = await listUsers(deps, { q: `${tag}.seen`, limit: 10 });
    expect(users).toEqual([
      {
        id: user.id,
        username: user.username,
        email: `${tag}.seen@example.com`,
        emailVerified: false,
        secondFactors: { totp: false, passkeys: 0 },
        role: "admin",
        disabled: true,
        createdAt: expect.any(String),
        lastSeenAt: new Date(t0 + MINUTE).toISOString(),
        activeSessions: 2,
      },
    ]);
    const quiet = await seedUser(deps, { email: `${tag}.quiet@example.com` });
    expect((await listUsers(deps, { q: `${tag}.quiet`, limit: 10 })).users).toEqual([
      expect.objectContaining({ id: quiet.id, role: "user", disabled: false, lastSeenAt: null, activeSessions: 0 }),
    ]);
  });

  it("refuses a cursor it did not make, or one of another sort, with validation_failed", async () => {
    await expect(listUsers(deps, { cursor: "not-a-cursor", limit: 10 })).rejects.toMatchObject({ code: "validation_failed" });
    const page = await listUsers(deps, { sort: "username", limit: 1 });
    await expect(listUsers(deps, { sort: "created", cursor: page.nextCursor ?? "", limit: 10 })).rejects.toMatchObject({
      code: "validation_failed",
    });
  });
});

// A prefix so broad that the list is read along the sort order's index (SQLite) rather than sorted.
describe.each(["sqlite", "postgresql"] as const)("listUsers with a broad prefix on %s", (provider) => {
  let deps: TestDeps;
  const start = Date.parse("2025-01-01T00:00:00Z");

  beforeAll(async () => {
    deps = await createTestDeps({ provider });
    const hash = await deps.hasher.hash("correct horse battery staple 42");
    await deps.db.user.createMany({
      data: Array.from({ length: 1_600 }, (_, i) => ({
        username: i % 2 ? `bulk.${i}` : `other.${i}`,
        // Every fourth account matches by its email alone; `bulk_x` holds LIKE's wildcard.
        email: i % 4 === 0 ? `bulk_x${i}@example.com` : null,
        passwordHash: hash,
        createdAt: new Date(start + i * MINUTE),
        lastSeenAt: i % 3 ? new Date(start + ((i * 37) % 1_600) * MINUTE) : null,
      })),
    });
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it.each(["created", "last_seen"] as const)("pages through the matches in %s order, and only them", async (sort) => {
    const seen: AdminUserDto[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 4; page++) {
      const res = await listUsers(deps, { q: "bulk", sort, limit: 50, cursor });
      seen.push(...res.users);
      cursor = res.nextCursor ?? undefined;
      expect(cursor).toBeDefined();
    }
    expect(seen).toHaveLength(200);
    expect(new Set(seen.map((u) => u.id)).size).toBe(200);
    expect(seen.every((u) => u.username.startsWith("bulk") || u.email?.startsWith("bulk"))).toBe(true);
    const keys = seen.map((u) => Date.parse((sort === "created" ? u.createdAt : u.lastSeenAt) ?? "0"));
    expect(keys).toEqual([...keys].sort((a, b) => b - a));
  });

  it("treats LIKE's wildcards in the search as plain characters", async () => {
    const res = await listUsers(deps, { q: "bulk_", limit: 100 });
    expect(res.users.length).toBeGreaterThan(0);
    expect(res.users.every((u) => u.email?.startsWith("bulk_"))).toBe(true);
    expect((await listUsers(deps, { q: "bulk%", limit: 10 })).users).toEqual([]);
  });
});
