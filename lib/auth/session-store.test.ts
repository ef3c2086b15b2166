import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { createTestDb, type TestDb } from "@/test/support/test-db";
import { loadLiveSession, loadLiveSessionOf } from "./live-session";
import { sha256 } from "./secrets";
import { NO_FEED, SessionCache } from "./session-cache";
import { createSession, reissueRefreshToken, revokeSessions, rotateRefreshToken, type SessionDeps } from "./session-store";

const meta = { address: "127.0.0.1", userAgent: "vitest" };

// The real time, except while a test holds it still and moves it by hand (the refresh grace
// window must not depend on how fast a loaded machine runs the test).
let frozenAt: number | null = null;
const clock = { now: () => new Date(frozenAt ?? Date.now()) };
const PROVIDERS = (process.env.TEST_PROVIDERS ?? "sqlite,postgresql").split(",") as ("sqlite" | "postgresql")[];

describe.each(PROVIDERS)("session store on %s", (provider) => {
  let t: TestDb;
  let store: SessionDeps;
  let userId: string;

  beforeAll(async () => {
    t = await createTestDb(provider);
    // No session cache: some tests write rows directly, behind the store's back.
    const config = loadConfig({ REFRESH_REUSE_GRACE: "1s", DATABASE_URL: t.url });
    store = { db: t.db, clock, config, sessionCache: new SessionCache(NO_FEED) };
    userId = (await t.db.user.create({ data: { username: `u-${provider}`, passwordHash: "x" }, select: { id: true } })).id;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("stores only hashes of refresh tokens", async () => {
    const s = await createSession(store, { userId, ...meta });
    const rows = await t.db.refreshToken.findMany({ where: { sessionId: s.sessionId }, select: { tokenHash: true } });
    expect(rows).toEqual([{ tokenHash: sha256(s.refreshToken) }]);
  });

  it("rotates, answers an honest race with the current token, and revokes on reuse after the grace", async () => {
    frozenAt = Date.now();
    try {
      await rotatesWithinGrace();
    } finally {
      frozenAt = null;
    }
  });

  async function rotatesWithinGrace(): Promise<void> {
    const s = await createSession(store, { userId, ...meta });
    const first = await rotateRefreshToken(store, s.refreshToken, meta);
    if (!first.ok) throw new Error("rotation failed");
    expect(first.refreshToken).not.toBe(s.refreshToken);
    const second = await rotateRefreshToken(store, first.refreshToken, meta);
    if (!second.ok) throw new Error("rotation failed");

    // Two generations back, still inside the grace window: the session's current token.
    const raced = await rotateRefreshToken(store, s.refreshToken, meta);
    expect(raced).toMatchObject({ ok: true, graced: true, refreshToken: second.refreshToken });

    frozenAt = (frozenAt ?? Date.now()) + 1200; // past the 1 s grace
    expect(await rotateRefreshToken(store, s.refreshToken, meta)).toMatchObject({ ok: false, reason: "reuse" });
    expect(await rotateRefreshToken(store, second.refreshToken, meta)).toMatchObject({ ok: false, reason: "revoked" });
    expect(await loadLiveSession(store, s.sessionId, userId)).toBeNull();
  }

  it("never forks a chain under concurrent refreshes", async () => {
    const s = await createSession(store, { userId, ...meta });
    const results = await Promise.all(Array.from({ length: 10 }, () => rotateRefreshToken(store, s.refreshToken, meta)));
    const tokens = new Set(results.map((r) => (r.ok ? r.refreshToken : `fail:${r.reason}`)));
    expect(tokens.size).toBe(1);
    expect(results.filter((r) => r.ok && !r.graced)).toHaveLength(1);
    const live = await t.db.refreshToken.count({ where: { sessionId: s.sessionId, rotatedAt: null } });
    expect(live).toBe(1);
  });

  it("refuses unknown tokens, revoked sessions and other users' sessions", async () => {
    expect(await rotateRefreshToken(store, "A".repeat(43), meta)).toMatchObject({ ok: false, reason: "unknown" });
    const s = await createSession(store, { userId, ...meta });
    expect(await loadLiveSession(store, s.sessionId, "someone-else")).toBeNull();
    expect(await loadLiveSession(store, s.sessionId, userId)).toMatchObject({ id: userId });
    await revokeSessions(store, { sessionId: s.sessionId }, "logout");
    expect(await rotateRefreshToken(store, s.refreshToken, meta)).toMatchObject({ ok: false, reason: "revoked" });
    expect(await loadLiveSession(store, s.sessionId, userId)).toBeNull();
  });

  it("ends a session whose user was disabled", async () => {
    const other = await t.db.user.create({ data: { username: `d-${provider}`, passwordHash: "x" }, select: { id: true } });
    const s = await createSession(store, { userId: other.id, ...meta });
    await t.db.user.update({ where: { id: other.id }, data: { disabled: true }, select: { id: true } });
    expect(await loadLiveSession(store, s.sessionId, other.id)).toBeNull();
    expect(await rotateRefreshToken(store, s.refreshToken, meta)).toMatchObject({ ok: false, reason: "disabled" });
  });

  const lastSeen = async (id: string) =>
    (await t.db.user.findUniqueOrThrow({ where: { id }, select: { lastSeenAt: true } })).lastSeenAt?.getTime() ?? null;

  it("marks the account seen at sign-in and at every refresh, but not for an impersonation", async () => {
    const person = await t.db.user.create({ data: { username: `seen-${provider}`, passwordHash: "x" }, select: { id: true } });
    const admin = await t.db.user.create({
      data: { username: `seer-${provider}`, passwordHash: "x", role: "admin" },
      select: { id: true },
    });
    expect(await lastSeen(person.id)).toBeNull();
    const acting = await createSession(store, {
      userId: person.id,
      ...meta,
      impersonation: { impersonatorId: admin.id, lifetimeMs: 3_600_000 },
    });
    const rotatedAsAdmin = await rotateRefreshToken(store, acting.refreshToken, meta);
    expect(rotatedAsAdmin).toMatchObject({ ok: true, impersonatorId: admin.id });
    expect(await lastSeen(person.id)).toBeNull();

    const before = Date.now();
    const own = await createSession(store, { userId: person.id, ...meta });
    const signedIn = await lastSeen(person.id);
    expect(signedIn).toBeGreaterThanOrEqual(before);
    await new Promise((r) => setTimeout(r, 5));
    expect(await rotateRefreshToken(store, own.refreshToken, meta)).toMatchObject({ ok: true, impersonatorId: null });
    expect(await lastSeen(person.id)).toBeGreaterThan(signedIn ?? 0);
  });

  it("an impersonation session ends within its lifetime, is never fresh, and ends with its admin's authority", async () => {
    const person = await t.db.user.create({ data: { username: `imp-${provider}`, passwordHash: "x" }, select: { id: true } });
    const admin = await t.db.user.create({
      data: { username: `impa-${provider}`, passwordHash: "x", role: "admin" },
      select: { id: true },
    });
    const s = await createSession(store, { userId: person.id, ...meta, impersonation: { impersonatorId: admin.id, lifetimeMs: 60_000 } });
    const row = await t.db.session.findUniqueOrThrow({
      where: { id: s.sessionId },
      select: { createdAt: true, expiresAt: true, authenticatedAt: true, impersonatorId: true },
    });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(60_000);
    expect(s.endsAt).toEqual(row.expiresAt);
    expect(row).toMatchObject({ authenticatedAt: new Date(0), impersonatorId: admin.id });
    expect(await loadLiveSessionOf(store, s.sessionId, person.id)).toMatchObject({
      user: { id: person.id },
      impersonator: { id: admin.id, username: `impa-${provider}` },
    });
    await t.db.user.update({ where: { id: admin.id }, data: { role: "user" }, select: { id: true } });
    expect(await loadLiveSessionOf(store, s.sessionId, person.id)).toBeNull();
    expect(await rotateRefreshToken(store, s.refreshToken, meta)).toMatchObject({ ok: false, reason: "revoked" });
    const ended = await t.db.session.findUniqueOrThrow({ where: { id: s.sessionId }, select: { revokedReason: true } });
    expect(ended.revokedReason).toBe("impersonation_ended");
  });

  it("reissueRefreshToken restarts the chain: the new token rotates, the old one is no way back", async () => {
    const s = await createSession(store, { userId, ...meta });
    const fresh = await reissueRefreshToken(store, s.sessionId);
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Inside the grace window, the old token's derived successor does not exist: refused, session intact.
    expect(await rotateRefreshToken(store, s.refreshToken, meta)).toMatchObject({ ok: false, reason: "unknown" });
    const next = await rotateRefreshToken(store, fresh ?? "", meta);
    expect(next).toMatchObject({ ok: true, sessionId: s.sessionId, user: { id: userId } });
    await revokeSessions(store, { sessionId: s.sessionId }, "logout");
    expect(await reissueRefreshToken(store, s.sessionId)).toBeNull();
  });
});
