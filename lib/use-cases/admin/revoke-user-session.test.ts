import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, revokeSessions } from "@/lib/auth/session-store";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import type { AdminActor } from "../meta";
import { revokeUserSession } from "./revoke-user-session";

describe("revokeUserSession", () => {
  let deps: TestDeps;
  let actor: AdminActor;
  beforeAll(async () => {
    deps = await createTestDeps();
    actor = { actorId: (await seedUser(deps, { role: "admin" })).id, ...meta };
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  const reasonOf = async (id: string) =>
    (await deps.db.session.findUniqueOrThrow({ where: { id }, select: { revokedReason: true } })).revokedReason;

  it("ends that one session, leaves the others, and audits the admin with the session id", async () => {
    const user = await seedUser(deps);
    const [a, b] = [await createSession(deps, { userId: user.id, ...meta }), await createSession(deps, { userId: user.id, ...meta })];
    await revokeUserSession(deps, { userId: user.id, sessionId: a.sessionId, actor });
    expect([await reasonOf(a.sessionId), await reasonOf(b.sessionId)]).toEqual(["revoked_by_admin", null]);
    const events = await deps.db.auditEvent.findMany({ where: { userId: user.id }, select: { type: true, actorId: true, detail: true } });
    expect(events).toEqual([
      { type: "session_revoked_by_admin", actorId: actor.actorId, detail: JSON.stringify({ sessionId: a.sessionId }) },
    ]);
  });

  it("answers not_found for another account's session, an ended one, an expired one and an unknown one", async () => {
    const user = await seedUser(deps);
    const other = await seedUser(deps);
    const theirs = await createSession(deps, { userId: other.id, ...meta });
    const ended = await createSession(deps, { userId: user.id, ...meta });
    await revokeSessions(deps, { sessionId: ended.sessionId }, "logout");
    const idle = await createSession(deps, { userId: user.id, ...meta });
    const before = await deps.db.auditEvent.count();
    const refused = (sessionId: string) =>
      expect(revokeUserSession(deps, { userId: user.id, sessionId, actor })).rejects.toMatchObject({ code: "not_found", status: 404 });
    for (const sessionId of [theirs.sessionId, ended.sessionId, randomUUID(), ""]) await refused(sessionId);
    deps.clock.advance(deps.config.REFRESH_IDLE_TTL + 1_000);
    await refused(idle.sessionId);
    await expect(revokeUserSession(deps, { userId: randomUUID(), sessionId: theirs.sessionId, actor })).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await reasonOf(theirs.sessionId)).toBeNull();
    expect([await reasonOf(ended.sessionId), await reasonOf(idle.sessionId)]).toEqual(["logout", null]);
    expect(await deps.db.auditEvent.count()).toBe(before);
  });

  it("refuses an actor who is no longer an admin", async () => {
    const user = await seedUser(deps);
    const s = await createSession(deps, { userId: user.id, ...meta });
    const notAdmin = await seedUser(deps);
    await expect(
      revokeUserSession(deps, { userId: user.id, sessionId: s.sessionId, actor: { ...actor, actorId: notAdmin.id } }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect(await reasonOf(s.sessionId)).toBeNull();
  });
});
