import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { systemClock } from "@/lib/deps";
import { createTestDb, type TestDb } from "@/test/support/test-db";
import { sha256 } from "./secrets";
import { createSession, loadLiveSession, revokeSessions, rotateRefreshToken, type SessionDeps } from "./session-store";

const meta = { address: "127.0.0.1", userAgent: "vitest" };
const PROVIDERS = (process.env.TEST_PROVIDERS ?? "sqlite,postgresql").split(",") as ("sqlite" | "postgresql")[];

describe.each(PROVIDERS)("session store on %s", (provider) => {
  let t: TestDb;
  let store: SessionDeps;
  let userId: string;

  beforeAll(async () => {
    t = await createTestDb(provider);
    store = { db: t.db, clock: systemClock, config: loadConfig({ REFRESH_REUSE_GRACE: "1s", DATABASE_URL: t.url }) };
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
    const s = await createSession(store, { userId, ...meta });
    const first = await rotateRefreshToken(store, s.refreshToken, meta);
    if (!first.ok) throw new Error("rotation failed");
    expect(first.refreshToken).not.toBe(s.refreshToken);
    const second = await rotateRefreshToken(store, first.refreshToken, meta);
    if (!second.ok) throw new Error("rotation failed");

    // Two generations back, still inside the grace window: the session's current token.
    const raced = await rotateRefreshToken(store, s.refreshToken, meta);
    expect(raced).toMatchObject({ ok: true, graced: true, refreshToken: second.refreshToken });

    await new Promise((r) => setTimeout(r, 1200));
    expect(await rotateRefreshToken(store, s.refreshToken, meta)).toMatchObject({ ok: false, reason: "reuse" });
    expect(await rotateRefreshToken(store, second.refreshToken, meta)).toMatchObject({ ok: false, reason: "revoked" });
    expect(await loadLiveSession(store, s.sessionId, userId)).toBeNull();
  });

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
});
