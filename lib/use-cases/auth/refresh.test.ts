import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sha256 } from "@/lib/auth/secrets";
import { createSession, revokeSessions } from "@/lib/auth/session-store";
import { verifyAccessToken } from "@/lib/edge/tokens";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import { endedSessionCode, refresh } from "./refresh";

const SECOND = 1_000;
const DAY = 24 * 60 * 60 * SECOND;

describe("refresh (REFRESH_REUSE_GRACE=1s, idle 7d, absolute 30d)", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    vi.stubEnv("AUTH_SIGNING_KEYS", JSON.stringify(await generateKeySet()));
    deps = await createTestDeps({ env: { REFRESH_REUSE_GRACE: "1s", REFRESH_IDLE_TTL: "7d", REFRESH_TOKEN_TTL: "30d" } });
  });
  afterAll(async () => {
    await deps.cleanup();
    vi.unstubAllEnvs();
  });

  async function newSession() {
    const user = await seedUser(deps);
    const session = await createSession(deps, { userId: user.id, ...meta });
    return { user, ...session };
  }
  const sessionRow = (id: string) =>
    deps.db.session.findUniqueOrThrow({ where: { id }, select: { revokedAt: true, revokedReason: true, lastUsedAt: true, address: true } });
  const auditTypes = async (userId: string) =>
    (await deps.db.auditEvent.findMany({ where: { userId }, select: { type: true } })).map((e) => e.type);

  it("rotates: a new refresh token, the old one consumed, the session touched, a fresh access token", async () => {
    const s = await newSession();
    deps.clock.advance(60 * SECOND);
    const now = deps.clock.now();
    const other = { address: "198.51.100.9", userAgent: "another agent" };
    const r = await refresh(deps, { refreshToken: s.refreshToken, meta: other });

    expect(r.sessionId).toBe(s.sessionId);
    expect(r.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.refreshToken).not.toBe(s.refreshToken);
    expect(r.user).toMatchObject({ id: s.user.id, username: s.user.username });
    expect(r.refreshExpiresAt).toEqual(new Date(now.getTime() + 7 * DAY));
    expect(await verifyAccessToken(r.accessToken)).toMatchObject({ sub: s.user.id, sid: s.sessionId });

    const tokens = await deps.db.refreshToken.findMany({
      where: { sessionId: s.sessionId },
      orderBy: { generation: "asc" },
      select: { tokenHash: true, generation: true, rotatedAt: true },
    });
    expect(tokens).toEqual([
      { tokenHash: sha256(s.refreshToken), generation: 0, rotatedAt: now },
      { tokenHash: sha256(r.refreshToken), generation: 1, rotatedAt: null },
    ]);
    expect(await sessionRow(s.sessionId)).toMatchObject({ revokedAt: null, lastUsedAt: now, address: other.address });

    // The new token rotates in turn.
    const again = await refresh(deps, { refreshToken: r.refreshToken, meta });
    expect(again.refreshToken).not.toBe(r.refreshToken);
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["too short", "abc"],
    ["too long", "A".repeat(44)],
    ["not base64url", `${"A".repeat(42)}=`],
    ["unknown", "A".repeat(43)],
  ])("refuses a %s token with invalid_refresh_token", async (_, token) => {
    const before = await deps.db.auditEvent.count();
    await expect(refresh(deps, { refreshToken: token, meta })).rejects.toMatchObject({ code: "invalid_refresh_token", status: 401 });
    expect(await deps.db.auditEvent.count()).toBe(before);
  });

  it("answers a just-rotated token inside the grace with the session's current token", async () => {
    const s = await newSession();
    const first = await refresh(deps, { refreshToken: s.refreshToken, meta });
    const raced = await refresh(deps, { refreshToken: s.refreshToken, meta });
    expect(raced.refreshToken).toBe(first.refreshToken);
    expect(raced.sessionId).toBe(s.sessionId);
    expect((await sessionRow(s.sessionId)).revokedAt).toBeNull();
    expect(await auditTypes(s.user.id)).toEqual([]);
  });

  it("treats a rotated token presented after the grace as theft: session revoked, refresh_token_reuse recorded", async () => {
    const s = await newSession();
    const rotated = await refresh(deps, { refreshToken: s.refreshToken, meta });
    deps.clock.advance(2 * SECOND);
    await expect(refresh(deps, { refreshToken: s.refreshToken, meta })).rejects.toMatchObject({ code: "invalid_refresh_token" });

    const row = await sessionRow(s.sessionId);
    expect(row).toMatchObject({ revokedReason: "refresh_token_reuse", revokedAt: deps.clock.now() });
    const events = await deps.db.auditEvent.findMany({ where: { userId: s.user.id }, select: { type: true, address: true, detail: true } });
    expect(events).toEqual([{ type: "refresh_token_reuse", address: meta.address, detail: JSON.stringify({ sessionId: s.sessionId }) }]);

    // The thief's (or the owner's) current token is dead too; that is not a second reuse.
    await expect(refresh(deps, { refreshToken: rotated.refreshToken, meta })).rejects.toMatchObject({ code: "invalid_refresh_token" });
    expect(await auditTypes(s.user.id)).toEqual(["refresh_token_reuse"]);
  });

  it("keeps a session alive while it is refreshed within the idle limit, and ends it after the limit", async () => {
    const s = await newSession();
    deps.clock.advance(6 * DAY);
    const a = await refresh(deps, { refreshToken: s.refreshToken, meta });
    deps.clock.advance(6 * DAY);
    const b = await refresh(deps, { refreshToken: a.refreshToken, meta });
    deps.clock.advance(7 * DAY + SECOND);
    await expect(refresh(deps, { refreshToken: b.refreshToken, meta })).rejects.toMatchObject({ code: "invalid_refresh_token" });
    expect(await sessionRow(s.sessionId)).toMatchObject({ revokedReason: "expired", revokedAt: deps.clock.now() });
    expect(await auditTypes(s.user.id)).toEqual([]);
  });

  it("ends at the idle limit exactly", async () => {
    const s = await newSession();
    deps.clock.advance(7 * DAY);
    await expect(refresh(deps, { refreshToken: s.refreshToken, meta })).rejects.toMatchObject({ code: "invalid_refresh_token" });
    expect((await sessionRow(s.sessionId)).revokedReason).toBe("expired");
  });

  it("never outlives the absolute lifetime, however often it is refreshed", async () => {
    const s = await newSession();
    const end = new Date(deps.clock.now().getTime() + 30 * DAY);
    let token = s.refreshToken;
    for (let day = 6; day <= 24; day += 6) {
      deps.clock.advance(6 * DAY);
      const r = await refresh(deps, { refreshToken: token, meta });
      token = r.refreshToken;
      // The cookie's end: the idle limit, capped by the absolute end.
      expect(r.refreshExpiresAt.getTime()).toBe(Math.min(deps.clock.now().getTime() + 7 * DAY, end.getTime()));
    }
    deps.clock.set(end);
    await expect(refresh(deps, { refreshToken: token, meta })).rejects.toMatchObject({ code: "invalid_refresh_token" });
    expect((await sessionRow(s.sessionId)).revokedReason).toBe("expired");
  });

  it("refuses and ends the session of a disabled account", async () => {
    const s = await newSession();
    await deps.db.user.update({ where: { id: s.user.id }, data: { disabled: true }, select: { id: true } });
    await expect(refresh(deps, { refreshToken: s.refreshToken, meta })).rejects.toMatchObject({ code: "invalid_refresh_token" });
    expect((await sessionRow(s.sessionId)).revokedReason).toBe("account_disabled");
  });

  it("refuses a signed-out session without calling it reuse", async () => {
    const s = await newSession();
    await revokeSessions(deps, { sessionId: s.sessionId }, "logout");
    deps.clock.advance(5 * SECOND);
    await expect(refresh(deps, { refreshToken: s.refreshToken, meta })).rejects.toMatchObject({ code: "invalid_refresh_token" });
    expect((await sessionRow(s.sessionId)).revokedReason).toBe("logout");
    expect(await auditTypes(s.user.id)).toEqual([]);
  });

  describe("endedSessionCode: why this browser's session ended", () => {
    it.each([
      ["password_changed", "password_changed"],
      ["revoked_by_admin", "admin"],
      ["signed_out_by_user", "other_device"],
      ["admin_password_reset", "admin_password_reset"],
      ["logout", "signed_out"],
    ] as const)("names %s for the session's current token as %s", async (reason, code) => {
      const s = await newSession();
      await revokeSessions(deps, { userId: s.user.id }, reason);
      await expect(refresh(deps, { refreshToken: s.refreshToken, meta })).rejects.toMatchObject({ status: 401 });
      expect(await endedSessionCode(deps, s.refreshToken)).toBe(code);
    });

    it("names the reason the failed refresh itself recorded (a disabled account, an idle session)", async () => {
      const disabled = await newSession();
      await deps.db.user.update({ where: { id: disabled.user.id }, data: { disabled: true }, select: { id: true } });
      await expect(refresh(deps, { refreshToken: disabled.refreshToken, meta })).rejects.toMatchObject({ status: 401 });
      expect(await endedSessionCode(deps, disabled.refreshToken)).toBe("account_disabled");

      const idle = await newSession();
      deps.clock.advance(7 * DAY);
      await expect(refresh(deps, { refreshToken: idle.refreshToken, meta })).rejects.toMatchObject({ status: 401 });
      expect(await endedSessionCode(deps, idle.refreshToken)).toBe("expired");
    });

    it("tells the holder of the current token about a replay, and the replayed old copy nothing", async () => {
      const s = await newSession();
      const current = await refresh(deps, { refreshToken: s.refreshToken, meta });
      deps.clock.advance(2 * SECOND);
      await expect(refresh(deps, { refreshToken: s.refreshToken, meta })).rejects.toMatchObject({ status: 401 });
      expect(await endedSessionCode(deps, current.refreshToken)).toBe("security");
      expect(await endedSessionCode(deps, s.refreshToken)).toBeNull();
    });

    it("says nothing about an old token of a session that later ended", async () => {
      const s = await newSession();
      await refresh(deps, { refreshToken: s.refreshToken, meta });
      deps.clock.advance(60 * SECOND);
      await revokeSessions(deps, { sessionId: s.sessionId }, "password_changed");
      expect(await endedSessionCode(deps, s.refreshToken)).toBeNull();
    });

    it("answers a token rotated within the grace before the end (a second tab)", async () => {
      const s = await newSession();
      await refresh(deps, { refreshToken: s.refreshToken, meta });
      await revokeSessions(deps, { sessionId: s.sessionId }, "revoked_by_admin");
      expect(await endedSessionCode(deps, s.refreshToken)).toBe("admin");
    });

    it.each([
      ["no token", undefined],
      ["a malformed token", "not-a-token"],
      ["an unknown token", "B".repeat(43)],
    ])("says nothing for %s", async (_, token) => {
      expect(await endedSessionCode(deps, token)).toBeNull();
    });

    it("says nothing for a live session", async () => {
      const s = await newSession();
      expect(await endedSessionCode(deps, s.refreshToken)).toBeNull();
    });
  });
});
