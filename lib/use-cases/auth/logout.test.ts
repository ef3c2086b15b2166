import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, rotateRefreshToken } from "@/lib/auth/session-store";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import { logout } from "./logout";

describe("logout", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  async function userWithSessions(n: number) {
    const user = await seedUser(deps);
    const sessions = [];
    for (let i = 0; i < n; i++) {
      deps.clock.advance(1); // distinct creation times keep `reasons` in creation order
      sessions.push(await createSession(deps, { userId: user.id, ...meta }));
    }
    return { user, sessions };
  }
  const reasons = async (userId: string) =>
    (await deps.db.session.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { id: true, revokedReason: true } })).map(
      (s) => [s.id, s.revokedReason],
    );
  const events = (userId: string) =>
    deps.db.auditEvent.findMany({ where: { userId }, select: { type: true, actorId: true, address: true, detail: true } });

  it("ends the session named by the access token, and only that one", async () => {
    const { user, sessions } = await userWithSessions(2);
    const [a, b] = sessions as [(typeof sessions)[number], (typeof sessions)[number]];
    deps.clock.advance(1_000);
    await logout(deps, { session: { sessionId: a.sessionId, userId: user.id }, everywhere: false, meta });

    expect(await reasons(user.id)).toEqual([
      [a.sessionId, "logout"],
      [b.sessionId, null],
    ]);
    const row = await deps.db.session.findUniqueOrThrow({ where: { id: a.sessionId }, select: { revokedAt: true } });
    expect(row.revokedAt).toEqual(deps.clock.now());
    expect(await events(user.id)).toEqual([
      { type: "logout", actorId: user.id, address: meta.address, detail: JSON.stringify({ sessionId: a.sessionId }) },
    ]);
    // The refresh token of the ended session no longer rotates.
    expect(await rotateRefreshToken(deps, a.refreshToken, meta)).toMatchObject({ ok: false, reason: "revoked" });
  });

  it("finds the session by its refresh token when there is no live access token", async () => {
    const { user, sessions } = await userWithSessions(2);
    const [a, b] = sessions as [(typeof sessions)[number], (typeof sessions)[number]];
    await logout(deps, { refreshToken: b.refreshToken, everywhere: false, meta });
    expect(await reasons(user.id)).toEqual([
      [a.sessionId, null],
      [b.sessionId, "logout"],
    ]);
    expect((await events(user.id)).map((e) => e.type)).toEqual(["logout"]);
  });

  it("prefers the access token's session over the refresh token", async () => {
    const { user, sessions } = await userWithSessions(2);
    const [a, b] = sessions as [(typeof sessions)[number], (typeof sessions)[number]];
    await logout(deps, { session: { sessionId: a.sessionId, userId: user.id }, refreshToken: b.refreshToken, everywhere: false, meta });
    expect(await reasons(user.id)).toEqual([
      [a.sessionId, "logout"],
      [b.sessionId, null],
    ]);
  });

  it("everywhere ends every session of the account with logout_everywhere, and no one else's", async () => {
    const { user, sessions } = await userWithSessions(3);
    const bystander = await userWithSessions(1);
    const first = sessions[0];
    if (!first) throw new Error("no session");
    await logout(deps, { refreshToken: first.refreshToken, everywhere: true, meta });

    expect((await reasons(user.id)).map(([, reason]) => reason)).toEqual(["logout_everywhere", "logout_everywhere", "logout_everywhere"]);
    expect((await reasons(bystander.user.id)).map(([, reason]) => reason)).toEqual([null]);
    expect(await events(user.id)).toEqual([{ type: "logout_everywhere", actorId: user.id, address: meta.address, detail: null }]);
  });

  it("is a silent no-op for an unknown or already-ended refresh token, or none at all", async () => {
    const { user, sessions } = await userWithSessions(2);
    const [a, b] = sessions as [(typeof sessions)[number], (typeof sessions)[number]];
    await logout(deps, { refreshToken: a.refreshToken, everywhere: false, meta });
    const auditBefore = await deps.db.auditEvent.count();

    await expect(logout(deps, { refreshToken: "A".repeat(43), everywhere: true, meta })).resolves.toBeUndefined();
    await expect(logout(deps, { refreshToken: "not even a token", everywhere: false, meta })).resolves.toBeUndefined();
    await expect(logout(deps, { everywhere: true, meta })).resolves.toBeUndefined();
    // The ended session's token cannot reach the account's other sessions.
    await expect(logout(deps, { refreshToken: a.refreshToken, everywhere: true, meta })).resolves.toBeUndefined();

    expect(await reasons(user.id)).toEqual([
      [a.sessionId, "logout"],
      [b.sessionId, null],
    ]);
    expect(await deps.db.auditEvent.count()).toBe(auditBefore);
  });
});
