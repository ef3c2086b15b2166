import { execFile } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { eventHash } from "@/lib/audit/chain";
import { verifyAuditChain } from "@/lib/audit/verify";
import { generateEncryptionKeys } from "@/lib/crypto/encryption";
import type { DbProvider } from "@/lib/db/url";
import { listAuditEvents } from "@/lib/use-cases/admin/list-audit-events";
import { listUsers } from "@/lib/use-cases/admin/list-users";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import { tempSqliteDatabase } from "@/test/support/test-db";
import { seedDatabase } from "./lib/seed";
import { DAY } from "./lib/seed-plan";
import { isoWithoutZone } from "./lib/seed-store";

const root = path.resolve(__dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

type Run = { code: number; stdout: string; stderr: string };

function cli(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(tsx, [script, ...args], { cwd: root, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function depsFor(provider: DbProvider): Promise<TestDeps> {
  const deps = await createTestDeps({ provider });
  cleanups.push(() => deps.cleanup());
  return deps;
}

describe.each(["sqlite", "postgresql"] as const)("db:seed on %s", (provider) => {
  it("adds accounts, sessions and a history that continues the audit chain", { timeout: 90_000 }, async () => {
    const deps = await depsFor(provider);
    // An account and an event from before, three years ago: the seeded history must chain onto it.
    deps.clock.set(Date.now() - 3 * 365 * DAY);
    const existing = await seedUser(deps, { username: "maria.garcia", email: "maria.garcia@example.com" });
    await deps.audit.record({ type: "register", userId: existing.id, actorId: existing.id, ...meta });
    const before = await deps.db.auditChain.findUniqueOrThrow({ where: { id: 1 }, select: { seq: true, hash: true } });
    const now = new Date();

    const result = await seedDatabase(deps.config.DATABASE_URL, { users: 150, seed: "test", bcryptCost: 4, now });

    expect(result).toMatchObject({ users: 150, firstSeq: before.seq + 1 });
    expect(result.events).toBeGreaterThan(150 * 6);
    expect(result.events).toBeLessThan(150 * 16);
    expect(result.from.getTime()).toBe(now.getTime() - 730 * DAY);

    const users = await deps.db.user.findMany({
      select: {
        id: true,
        username: true,
        email: true,
        emailVerifiedAt: true,
        role: true,
        disabled: true,
        createdAt: true,
        lastSeenAt: true,
      },
    });
    expect(users).toHaveLength(151);
    expect(new Set(users.map((u) => u.username)).size).toBe(151);
    for (const u of users) expect(u.username).toMatch(/^[a-z0-9_.-]{3,32}$/);
    const seeded = users.filter((u) => u.id !== existing.id);
    expect(seeded.some((u) => u.email === null)).toBe(true);
    expect(seeded.some((u) => u.email !== null && u.emailVerifiedAt === null)).toBe(true);
    expect(seeded.some((u) => u.lastSeenAt === null)).toBe(true);
    expect(seeded.filter((u) => u.role === "admin").length).toBeGreaterThanOrEqual(3);
    for (const u of seeded) {
      expect(u.createdAt.getTime()).toBeGreaterThanOrEqual(result.from.getTime());
      expect(u.createdAt.getTime()).toBeLessThanOrEqual(now.getTime());
    }
    // Names already in use are never drawn again.
    expect(seeded.map((u) => u.username)).not.toContain("maria.garcia");

    const sessions = await deps.db.session.findMany({ select: { userId: true, createdAt: true, lastUsedAt: true, expiresAt: true } });
    expect(sessions.length).toBe(result.sessions);
    const perUser = new Map<string, number>();
    for (const s of sessions) {
      perUser.set(s.userId, (perUser.get(s.userId) ?? 0) + 1);
      expect(s.lastUsedAt.getTime()).toBeGreaterThanOrEqual(s.createdAt.getTime());
      expect(s.lastUsedAt.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(s.expiresAt.getTime() - s.createdAt.getTime()).toBe(30 * DAY);
    }
    expect(Math.max(...perUser.values())).toBeLessThanOrEqual(3);

    // The chain, recomputed here: gapless seq, each prevHash the previous hash, time never going back.
    const events = await deps.db.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(events).toHaveLength(result.events + 1);
    for (let i = 1; i < events.length; i++) {
      const [prev, e] = [events[i - 1], events[i]];
      if (!prev || !e) throw new Error("unreachable");
      expect(e.seq).toBe(prev.seq + 1);
      expect(e.prevHash).toBe(i === 1 ? before.hash : prev.hash);
      expect(e.hash).toBe(eventHash(e, e.prevHash));
      expect(e.createdAt.getTime()).toBeGreaterThanOrEqual(prev.createdAt.getTime());
    }
    const last = events.at(-1);
    const head = await deps.db.auditChain.findUniqueOrThrow({ where: { id: 1 }, select: { seq: true, hash: true, lastAt: true } });
    expect(head).toEqual({ seq: last?.seq, hash: last?.hash, lastAt: last?.createdAt });
    expect(await verifyAuditChain(deps.db)).toMatchObject({ ok: true, checked: result.events + 1 });
    const types = new Set(events.map((e) => e.type));
    for (const type of ["register", "login_success", "login_failure", "logout", "password_changed", "role_changed", "user_disabled"]) {
      expect(types, type).toContain(type);
    }

    // The app's own listings read the seeded rows: every account once through the cursors, and a
    // user's events through the audit filter.
    const listed: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listUsers(deps, { limit: 40, sort: "created", ...(cursor ? { cursor } : {}) });
      listed.push(...page.users.map((u) => u.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(listed).size).toBe(151);
    const someone = seeded[0] as (typeof seeded)[number];
    const theirs = await listAuditEvents(deps, { user: someone.username, limit: 100 });
    expect(theirs.events.length).toBe(events.filter((e) => e.userId === someone.id).length);
    expect(theirs.events.at(-1)?.type).toBe("register");

    // And the command that verifies the chain agrees.
    const verified = await cli("scripts/audit-verify.ts", [], { DATABASE_URL: deps.config.DATABASE_URL });
    expect(verified.code, verified.stderr).toBe(0);
  });
});

describe("db:seed", () => {
  it("formats times as toISOString does", () => {
    const samples = [0, 1, 999, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.now()];
    for (let i = 0; i < 2_000; i++) samples.push(Math.floor(Math.random() * 4e12));
    for (const ms of samples) expect(`${isoWithoutZone(ms)}Z`).toBe(new Date(ms).toISOString());
  });

  it("draws the same accounts and history from the same seed", { timeout: 60_000 }, async () => {
    const now = new Date();
    const draw = async () => {
      const temp = tempSqliteDatabase();
      cleanups.push(temp.drop);
      await seedDatabase(temp.url, { users: 60, seed: "same", bcryptCost: 4, now });
      const { default: Database } = await import("better-sqlite3");
      const db = new Database(temp.url.slice("file:".length), { readonly: true });
      try {
        return {
          users: db.prepare('SELECT "id", "username", "email", "createdAt" FROM "User" ORDER BY "createdAt", "id"').all(),
          events: db.prepare('SELECT "id", "type", "userId", "createdAt", "hash" FROM "AuditEvent" ORDER BY "seq"').all(),
        };
      } finally {
        db.close();
      }
    };
    const [first, second] = [await draw(), await draw()];
    expect(second).toEqual(first);
  });

  it("refuses production unless forced, and needs --users", { timeout: 60_000 }, async () => {
    const temp = tempSqliteDatabase();
    cleanups.push(temp.drop);
    const env = { DATABASE_URL: temp.url, BCRYPT_COST: "4", EMAIL_DELIVERY: "off" };
    const keys = JSON.stringify(generateEncryptionKeys("test-"));
    const [production, missing] = await Promise.all([
      cli("scripts/db-seed.ts", ["--users", "5"], { ...env, NODE_ENV: "production", AUTH_ENCRYPTION_KEYS: keys }),
      cli("scripts/db-seed.ts", [], { ...env, NODE_ENV: "development" }),
    ]);
    expect(production.code).toBe(1);
    expect(production.stderr).toContain("--force");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--users");

    const ok = await cli("scripts/db-seed.ts", ["--users", "5", "--seed", "cli"], { ...env, NODE_ENV: "development" });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^db:seed: 5 accounts .* audit events \(seq 1–\d+, .*\); --seed cli\n$/);
  });
});
