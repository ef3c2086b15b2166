import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, revokeSessions } from "@/lib/auth/session-store";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import { getUser } from "./get-user";

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

describe("getUser", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("shows the account's row, its live sessions with any impersonator, its second factors and its events", async () => {
    const admin = await seedUser(deps, { role: "admin" });
    const user = await seedUser(deps, { email: `${randomUUID().slice(0, 8)}@example.com` });
    const browser = await createSession(deps, { userId: user.id, address: "198.51.100.4", userAgent: FIREFOX });
    deps.clock.advance(1_000);
    const impersonated = await createSession(deps, { userId: user.id, address: "198.51.100.5", userAgent: "curl/8.5.0" });
    await deps.db.session.update({ where: { id: impersonated.sessionId }, data: { impersonatorId: admin.id }, select: { id: true } });
    const ended = await createSession(deps, { userId: user.id, ...meta });
    await revokeSessions(deps, { sessionId: ended.sessionId }, "logout");
    await deps.db.totpFactor.create({
      data: { userId: user.id, secret: "sealed", confirmedAt: deps.clock.now() },
      select: { userId: true },
    });
    await deps.db.recoveryCode.createMany({
      data: [0, 1, 2].map((i) => ({ codeHash: `${user.id}-${i}`, userId: user.id, usedAt: i === 0 ? deps.clock.now() : null })),
    });
    await deps.db.passkey.create({
      data: { id: `pk-${user.id}`, userId: user.id, name: "Laptop", publicKey: "key", createdAt: new Date("2026-10-01T00:00:00Z") },
      select: { id: true },
    });
    await deps.audit.record({ type: "login_success", userId: user.id, actorId: user.id, ...meta });
    await deps.audit.record({ type: "sessions_revoked_by_admin", userId: user.id, actorId: admin.id, detail: { count: 1 } });

    const detail = await getUser(deps, { userId: user.id });

    expect(detail.user).toMatchObject({ id: user.id, username: user.username, role: "user", activeSessions: 2 });
    expect(detail.sessions).toEqual([
      {
        id: impersonated.sessionId,
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        address: "198.51.100.5",
        device: "curl/8.5.0",
        impersonator: { id: admin.id, username: admin.username },
      },
      {
        id: browser.sessionId,
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        address: "198.51.100.4",
        device: "Firefox on Linux",
        impersonator: null,
      },
    ]);
    expect(detail.secondFactors).toEqual({
      totp: true,
      recoveryCodesLeft: 2,
      passkeys: [{ id: `pk-${user.id}`, name: "Laptop", createdAt: "2026-10-01T00:00:00.000Z", lastUsedAt: null }],
    });
    expect(detail.events.map((e) => e.type)).toEqual(["sessions_revoked_by_admin", "login_success"]);
    expect(detail.events[0]?.actor).toEqual({ id: admin.id, username: admin.username });
  });

  it("names an impersonator who has since been deleted by id only", async () => {
    const admin = await seedUser(deps, { role: "admin" });
    const user = await seedUser(deps);
    const s = await createSession(deps, { userId: user.id, ...meta });
    await deps.db.session.update({ where: { id: s.sessionId }, data: { impersonatorId: admin.id }, select: { id: true } });
    await deps.db.user.delete({ where: { id: admin.id }, select: { id: true } });
    const detail = await getUser(deps, { userId: user.id });
    expect(detail.sessions.map((x) => x.impersonator)).toEqual([{ id: admin.id, username: null }]);
    expect(detail.secondFactors).toEqual({ totp: false, recoveryCodesLeft: 0, passkeys: [] });
  });

  it("caps the events at the latest 50", async () => {
    const user = await seedUser(deps);
    for (let i = 0; i < 55; i++) await deps.audit.record({ type: "login_success", userId: user.id, actorId: user.id, detail: { i } });
    const { events } = await getUser(deps, { userId: user.id });
    expect(events).toHaveLength(50);
    expect(events[0]?.detail).toEqual({ i: 54 });
  });

  it("answers an unknown account with not_found", async () => {
    await expect(getUser(deps, { userId: randomUUID() })).rejects.toMatchObject({ code: "not_found", status: 404 });
  });
});
