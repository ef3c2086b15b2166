import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadLiveSession } from "@/lib/auth/live-session";
import { createSession, revokeSessions } from "@/lib/auth/session-store";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import { impersonate } from "../admin/impersonate";
import { stopImpersonation } from "./stop-impersonation";

describe("stopImpersonation", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    vi.stubEnv("AUTH_SIGNING_KEYS", JSON.stringify(await generateKeySet()));
    vi.stubEnv("APP_URL", "http://localhost:3000");
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
    vi.unstubAllEnvs();
  });

  /** An admin impersonating a fresh account from a browser: the impersonation and the way back. */
  async function impersonating() {
    const admin = await seedUser(deps, { role: "admin" });
    const own = await createSession(deps, { userId: admin.id, ...meta });
    const target = await seedUser(deps);
    const actor = { ...meta, actorId: admin.id, sessionId: own.sessionId };
    const started = await impersonate(deps, { userId: target.id, actor, keepReturn: true });
    return { admin, own, target, started, returnToken: started.returnToken ?? undefined };
  }

  const reasonOf = async (id: string) =>
    (await deps.db.session.findUniqueOrThrow({ where: { id }, select: { revokedReason: true } })).revokedReason;
  const endedEvents = (userId: string) =>
    deps.db.auditEvent.findMany({ where: { type: "impersonation_ended", userId }, select: { userId: true, actorId: true, detail: true } });

  it("ends the impersonation, records it, and gives the admin their own session back", async () => {
    const { admin, own, target, started, returnToken } = await impersonating();
    const back = await stopImpersonation(deps, { sessionId: started.sessionId, returnToken, meta: { ...meta, actorId: admin.id } });

    expect(back).toMatchObject({ sessionId: own.sessionId, user: { id: admin.id, role: "admin" }, factors: { totp: false, passkeys: 0 } });
    expect(back?.refreshToken).not.toBe(returnToken);
    expect(await reasonOf(started.sessionId)).toBe("impersonation_ended");
    expect(await loadLiveSession(deps, started.sessionId, target.id)).toBeNull();
    expect(await loadLiveSession(deps, own.sessionId, admin.id)).toMatchObject({ id: admin.id });
    expect(await endedEvents(target.id)).toEqual([
      {
        userId: target.id,
        actorId: admin.id,
        detail: JSON.stringify({ sessionId: started.sessionId, expiresAt: started.endsAt.toISOString() }),
      },
    ]);
    // A second stop of the same session: it is not an impersonation any more worth a second event.
    await stopImpersonation(deps, { sessionId: started.sessionId, returnToken: undefined, meta });
    expect(await endedEvents(target.id)).toHaveLength(1);
  });

  it("answers 409 not_impersonating for an ordinary session, and ends nothing", async () => {
    const person = await seedUser(deps);
    const s = await createSession(deps, { userId: person.id, ...meta });
    await expect(stopImpersonation(deps, { sessionId: s.sessionId, returnToken: undefined, meta })).rejects.toMatchObject({
      status: 409,
      code: "not_impersonating",
    });
    expect(await reasonOf(s.sessionId)).toBeNull();
  });

  it("still ends the impersonation when the admin's own session ended meanwhile, then answers 401", async () => {
    const { own, target, started, returnToken } = await impersonating();
    await revokeSessions(deps, { sessionId: own.sessionId }, "logout");
    await expect(stopImpersonation(deps, { sessionId: started.sessionId, returnToken, meta })).rejects.toMatchObject({
      status: 401,
      code: "invalid_refresh_token",
    });
    expect(await reasonOf(started.sessionId)).toBe("impersonation_ended");
    expect(await endedEvents(target.id)).toHaveLength(1);
  });

  it("takes no other account's refresh token as the way back", async () => {
    const { started, target } = await impersonating();
    const stranger = await createSession(deps, { userId: (await seedUser(deps)).id, ...meta });
    // Not even the impersonated person's own session: only the impersonating admin's.
    const persons = await createSession(deps, { userId: target.id, ...meta });
    for (const returnToken of [stranger.refreshToken, persons.refreshToken]) {
      await expect(stopImpersonation(deps, { sessionId: started.sessionId, returnToken, meta })).rejects.toMatchObject({
        code: "invalid_refresh_token",
      });
    }
    // Neither was rotated on the way.
    const rotated = await deps.db.refreshToken.count({
      where: { sessionId: { in: [stranger.sessionId, persons.sessionId] }, rotatedAt: { not: null } },
    });
    expect(rotated).toBe(0);
  });

  it("for a script without a way back, ends the impersonation and hands nothing out", async () => {
    const { started } = await impersonating();
    await expect(stopImpersonation(deps, { sessionId: started.sessionId, returnToken: undefined, meta })).resolves.toBeNull();
    expect(await reasonOf(started.sessionId)).toBe("impersonation_ended");
  });
});
