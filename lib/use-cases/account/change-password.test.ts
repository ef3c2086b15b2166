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
    const input = { userId: user.id, sessionId: current, body: { currentPassword: `${user.password}x`, newPassword: NEW_PASSWORD }, meta };
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
    const input = {
      userId: randomUUID(),
      sessionId: randomUUID(),
      body: { currentPassword: NEW_PASSWORD, newPassword: `${NEW_PASSWORD} 2` },
      meta,
    };
    await expect(changePassword(deps, input)).rejects.toMatchObject({ code: "invalid_credentials" });
  });

  it("refuses the current password as the new one with validation_failed", async () => {
    const { user, current } = await userWithSessions(2);
    const before = await stored(user.id);
    const input = { userId: user.id, sessionId: current, body: { currentPassword: user.password, newPassword: user.password }, meta };
    await expect(changePassword(deps, input)).rejects.toMatchObject({
      code: "validation_failed",
      status: 422,
      fields: { newPassword: [expect.any(String)] },
    });
    expect(await stored(user.id)).toEqual(before);
    expect(await liveSessions(user.id)).toBe(2);
  });

  it("refuses a short or weak new password on the newPassword field", async () => {
    const { user, current } = await userWithSessions(1);
    const before = await stored(user.id);
    // Too short breaks the body's rules (validation_failed, as the API always answered); a policy
    // problem alone (the username inside) is weak_password. Both are 422.
    for (const [newPassword, code] of [
      ["too short", "validation_failed"],
      [`${user.username} is my name, ok?`, "weak_password"],
    ]) {
      const input = { userId: user.id, sessionId: current, body: { currentPassword: user.password, newPassword }, meta };
      await expect(changePassword(deps, input)).rejects.toMatchObject({ code, status: 422, fields: { newPassword: [expect.any(String)] } });
    }
    expect(await stored(user.id)).toEqual(before);
  });

  // Every problem at once. The 401 invalid_credentials stays for a wrong current password alone;
  // as soon as a field must change too, the answer is the 422 any invalid field gets, with the
  // wrong current password riding along in fields.currentPassword, so one submit shows both.
  it("reports a wrong current password together with a short or weak new one, as 422", async () => {
    const { user, current } = await userWithSessions(2);
    const before = await stored(user.id);
    for (const newPassword of ["too short", `${user.username} is my name, ok?`]) {
      const input = { userId: user.id, sessionId: current, body: { currentPassword: `${user.password}x`, newPassword }, meta };
      await expect(changePassword(deps, input)).rejects.toMatchObject({
        code: "validation_failed",
        status: 422,
        fields: { currentPassword: ["The current password is incorrect."], newPassword: [expect.any(String)] },
      });
    }
    expect(await stored(user.id)).toEqual(before);
    expect(await liveSessions(user.id)).toBe(2);
    expect(await auditTypes(user.id)).toEqual([]);
  });

  it("reports the caller's own problems (the form's confirmation) with the rest, and changes nothing", async () => {
    const { user, current } = await userWithSessions(1);
    const before = await stored(user.id);
    const confirmPassword = ["The two new passwords don't match."];
    const wrong = { currentPassword: `${user.password}x`, newPassword: "too short" };
    await expect(
      changePassword(deps, { userId: user.id, sessionId: current, body: wrong, otherProblems: { confirmPassword }, meta }),
    ).rejects.toMatchObject({
      code: "validation_failed",
      fields: { currentPassword: [expect.any(String)], newPassword: [expect.any(String)], confirmPassword },
    });
    // Even with every field sent right, a caller's problem stops the change.
    const right = { currentPassword: user.password, newPassword: NEW_PASSWORD };
    await expect(
      changePassword(deps, { userId: user.id, sessionId: current, body: right, otherProblems: { confirmPassword }, meta }),
    ).rejects.toMatchObject({
      code: "validation_failed",
      fields: { confirmPassword },
    });
    expect(await stored(user.id)).toEqual(before);
  });

  it("checks the body itself: a malformed one is a 422 with every field, the current password still checked", async () => {
    const { user, current } = await userWithSessions(1);
    await expect(
      changePassword(deps, { userId: user.id, sessionId: current, body: { currentPassword: 1, newPassword: null }, meta }),
    ).rejects.toMatchObject({
      code: "validation_failed",
      fields: { currentPassword: [expect.any(String)], newPassword: [expect.any(String)] },
    });
    const extra = { currentPassword: `${user.password}x`, newPassword: NEW_PASSWORD, role: "admin" };
    const err = await changePassword(deps, { userId: user.id, sessionId: current, body: extra, meta }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "validation_failed", fields: { currentPassword: ["The current password is incorrect."] } });
  });

  it("says the new password equals the current one only once the current password is proven", async () => {
    const { user, current } = await userWithSessions(1);
    // A guess that happens to be the password, sent as the new one beside a wrong current one.
    const guess = { currentPassword: `${user.password}x`, newPassword: user.password };
    const err = (await changePassword(deps, { userId: user.id, sessionId: current, body: guess, meta }).catch((e: unknown) => e)) as {
      code: string;
      fields: Record<string, string[]>;
    };
    expect(err.code).toBe("invalid_credentials");
    expect(err.fields.newPassword).toBeUndefined();
  });

  it("changes the password, ends the other sessions but keeps this one, and records password_changed", async () => {
    const { user, sessionIds, current } = await userWithSessions(3);
    const bystander = await userWithSessions(1);
    deps.clock.advance(90_000);
    await changePassword(deps, {
      userId: user.id,
      sessionId: current,
      body: { currentPassword: user.password, newPassword: NEW_PASSWORD },
      meta,
    });

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
