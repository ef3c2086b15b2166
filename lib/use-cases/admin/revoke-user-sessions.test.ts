import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, revokeSessions } from "@/lib/auth/session-store";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import type { AdminActor } from "../meta";
import { revokeUserSessions } from "./revoke-user-sessions";

describe("revokeUserSessions", () => {
  let deps: TestDeps;
  let actor: AdminActor;
  beforeAll(async () => {
    deps = await createTestDeps();
    actor = { actorId: (await seedUser(deps, { role: "admin" })).id, ...meta };
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("ends every live session of the account, counts them, and records sessions_revoked_by_admin", async () => {
    const target = await seedUser(deps);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createSession(deps, { userId: target.id, ...meta })).sessionId);
    await revokeSessions(deps, { sessionId: ids[0] as string }, "logout");
    const bystander = await seedUser(deps);
    await createSession(deps, { userId: bystander.id, ...meta });
    deps.clock.advance(1_000);

    expect(await revokeUserSessions(deps, { userId: target.id, actor })).toBe(2);

    const rows = await deps.db.session.findMany({
      where: { userId: target.id },
      select: { id: true, revokedAt: true, revokedReason: true },
    });
    const reason = new Map(rows.map((r) => [r.id, r.revokedReason]));
    expect(ids.map((id) => reason.get(id))).toEqual(["logout", "revoked_by_admin", "revoked_by_admin"]);
    const revokedAt = rows.filter((r) => r.revokedReason === "revoked_by_admin").map((r) => r.revokedAt);
    expect(revokedAt).toEqual([deps.clock.now(), deps.clock.now()]);
    expect(await deps.db.session.count({ where: { userId: bystander.id, revokedAt: null } })).toBe(1);

    const events = await deps.db.auditEvent.findMany({
      where: { userId: target.id },
      select: { type: true, actorId: true, address: true, detail: true },
    });
    expect(events).toEqual([
      { type: "sessions_revoked_by_admin", actorId: actor.actorId, address: meta.address, detail: JSON.stringify({ count: 2 }) },
    ]);

    // Again: nothing left to end, and that is recorded too.
    expect(await revokeUserSessions(deps, { userId: target.id, actor })).toBe(0);
    expect(await deps.db.auditEvent.count({ where: { userId: target.id, type: "sessions_revoked_by_admin" } })).toBe(2);
  });

  it("answers an unknown account with not_found and records nothing", async () => {
    const before = await deps.db.auditEvent.count();
    await expect(revokeUserSessions(deps, { userId: randomUUID(), actor })).rejects.toMatchObject({ code: "not_found", status: 404 });
    expect(await deps.db.auditEvent.count()).toBe(before);
  });

  it("refuses an actor who is no longer an admin, and ends nothing", async () => {
    const demoted = await seedUser(deps, { role: "user" });
    const target = await seedUser(deps);
    await createSession(deps, { userId: target.id, ...meta });
    await expect(revokeUserSessions(deps, { userId: target.id, actor: { ...actor, actorId: demoted.id } })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await deps.db.session.count({ where: { userId: target.id, revokedAt: null } })).toBe(1);
  });
});
