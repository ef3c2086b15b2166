import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/lib/auth/session-store";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import { changePassword } from "./change-password";

const NEW_PASSWORD = "quiet lantern harbour meadow 47";

describe("changePassword", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  async function userWithSessions(n: number) {
    const user = await seedUser(deps);
    const sessionIds: string[] = [];
    for (let i = 0; i < n; i++) sessionIds.push((await createSession(deps, { userId: user.id, ...meta })).sessionId);
    return { user, sessionIds, current: sessionIds[0] ?? "" };
  }
  const stored = (userId: string) =>
    deps.db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true, passwordChangedAt: true } });
  const liveSessions = (userId: string) => deps.db.session.count({ where: { userId, revokedAt: null } });
  const auditTypes = async (userId: string) =>
    (await deps.db.auditEvent.findMany({ where: { userId }, select: { type: true } })).map((e) => e.type);

  it("refuses a wrong current password on the currentPassword field and changes nothing", async () => {
    const { user, current } = await userWithSessions(2);
    const before = await stored(user.id);
    const input = { userId: user.id, sessionId: current, currentPassword: `${user.password}x`, newPassword: NEW_PASSWORD, meta };
    await expect(changePassword(deps, input)).rejects.toMatchObject({
      code: "invalid_credentials",
      status: 401,
      fields: { currentPassword: [expect.any(String)] },
    });
    expect(await stored(user.id)).toEqual(before);
    expect(await liveSessions(user.id)).toBe(2);
    expect(await auditTypes(user.id)).toEqual([]);
  });

  it("answers an unknown account like a wrong password", async () => {
    const input = { userId: randomUUID(), sessionId: randomUUID(), currentPassword: NEW_PASSWORD, newPassword: `${NEW_PASSWORD} 2`, meta };
    await expect(changePassword(deps, input)).rejects.toMatchObject({ code: "invalid_credentials" });
  });

  it("refuses the current password as the new one with validation_failed", async () => {
    const { user, current } = await userWithSessions(2);
    const before = await stored(user.id);
    const input = { userId: user.id, sessionId: current, currentPassword: user.password, newPassword: user.password, meta };
    await expect(changePassword(deps, input)).rejects.toMatchObject({
      code: "validation_failed",
      status: 422,
      fields: { newPassword: [expect.any(String)] },
    });
    expect(await stored(user.id)).toEqual(before);
    expect(await liveSessions(user.id)).toBe(2);
  });

  it("refuses a weak new password on the newPassword field", async () => {
    const { user, current } = await userWithSessions(1);
    const before = await stored(user.id);
    for (const newPassword of ["too short", `${user.username} is my name, ok?`]) {
      const input = { userId: user.id, sessionId: current, currentPassword: user.password, newPassword, meta };
      await expect(changePassword(deps, input)).rejects.toMatchObject({
        code: "weak_password",
        fields: { newPassword: [expect.any(String)] },
      });
    }
    expect(await stored(user.id)).toEqual(before);
  });

  it("changes the password, ends the other sessions but keeps this one, and records password_changed", async () => {
    const { user, sessionIds, current } = await userWithSessions(3);
    const bystander = await userWithSessions(1);
    deps.clock.advance(90_000);
    await changePassword(deps, { userId: user.id, sessionId: current, currentPassword: user.password, newPassword: NEW_PASSWORD, meta });

    const after = await stored(user.id);
    expect(after.passwordChangedAt).toEqual(deps.clock.now());
    expect(await deps.hasher.verify(NEW_PASSWORD, after.passwordHash)).toBe(true);
    expect(await deps.hasher.verify(user.password, after.passwordHash)).toBe(false);

    const sessions = await deps.db.session.findMany({
      where: { userId: user.id },
      select: { id: true, revokedAt: true, revokedReason: true },
    });
    const byId = new Map(sessions.map((s) => [s.id, s]));
    expect(byId.get(current)).toMatchObject({ revokedAt: null, revokedReason: null });
    for (const id of sessionIds.filter((x) => x !== current)) {
      expect(byId.get(id)).toMatchObject({ revokedAt: deps.clock.now(), revokedReason: "password_changed" });
    }
    expect(await liveSessions(bystander.user.id)).toBe(1);

    const events = await deps.db.auditEvent.findMany({ where: { userId: user.id }, select: { type: true, actorId: true, address: true } });
    expect(events).toEqual([{ type: "password_changed", actorId: user.id, address: meta.address }]);
  });
});
