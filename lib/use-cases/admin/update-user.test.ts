import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSession } from "@/lib/auth/session-store";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import type { AdminActor } from "../meta";
import { updateUser } from "./update-user";

// Each test gets its own database: "the last admin" depends on every admin in it.
describe("updateUser", () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(async () => {
    await deps.cleanup();
  });

  const actor = (actorId: string | null): AdminActor => ({ actorId, ...meta });
  const admin = () => seedUser(deps, { role: "admin" });
  const stateOf = (id: string) => deps.db.user.findUniqueOrThrow({ where: { id }, select: { role: true, disabled: true } });
  const events = (userId: string) =>
    deps.db.auditEvent.findMany({ where: { userId }, select: { type: true, actorId: true, address: true, detail: true } });
  const activeAdmins = async () =>
    (await deps.db.user.findMany({ where: { role: "admin", disabled: false }, select: { id: true } })).map((u) => u.id);

  it("changes the role and records role_changed with from and to", async () => {
    const a = await admin();
    const target = await seedUser(deps);
    const result = await updateUser(deps, { userId: target.id, patch: { role: "admin" }, actor: actor(a.id) });
    expect(result).toMatchObject({ id: target.id, username: target.username, role: "admin", disabled: false });
    expect(typeof result.createdAt).toBe("string");
    expect(await stateOf(target.id)).toEqual({ role: "admin", disabled: false });
    expect(await events(target.id)).toEqual([
      { type: "role_changed", actorId: a.id, address: meta.address, detail: JSON.stringify({ from: "user", to: "admin" }) },
    ]);

    await updateUser(deps, { userId: target.id, patch: { role: "user" }, actor: actor(a.id) });
    expect((await events(target.id)).map((e) => e.detail)).toContain(JSON.stringify({ from: "admin", to: "user" }));
  });

  it("records nothing when the patch changes nothing", async () => {
    const a = await admin();
    const target = await seedUser(deps);
    await updateUser(deps, { userId: target.id, patch: { role: "user", disabled: false }, actor: actor(a.id) });
    expect(await events(target.id)).toEqual([]);
  });

  it("disabling ends every session of the account with account_disabled; enabling does not bring them back", async () => {
    const a = await admin();
    const target = await seedUser(deps);
    for (let i = 0; i < 2; i++) await createSession(deps, { userId: target.id, ...meta });
    const bystander = await seedUser(deps);
    await createSession(deps, { userId: bystander.id, ...meta });
    deps.clock.advance(5_000);

    const result = await updateUser(deps, { userId: target.id, patch: { disabled: true }, actor: actor(a.id) });
    expect(result.disabled).toBe(true);
    const sessions = await deps.db.session.findMany({ where: { userId: target.id }, select: { revokedAt: true, revokedReason: true } });
    expect(sessions).toEqual([
      { revokedAt: deps.clock.now(), revokedReason: "account_disabled" },
      { revokedAt: deps.clock.now(), revokedReason: "account_disabled" },
    ]);
    expect(await deps.db.session.count({ where: { userId: bystander.id, revokedAt: null } })).toBe(1);

    await updateUser(deps, { userId: target.id, patch: { disabled: false }, actor: actor(a.id) });
    expect(await stateOf(target.id)).toEqual({ role: "user", disabled: false });
    expect(await deps.db.session.count({ where: { userId: target.id, revokedAt: null } })).toBe(0);
    expect((await events(target.id)).map((e) => e.type).sort()).toEqual(["user_disabled", "user_enabled"]);
  });

  it("never demotes or disables the last active admin (last_admin)", async () => {
    const only = await admin();
    // A disabled admin does not count.
    await seedUser(deps, { role: "admin", disabled: true });
    for (const patch of [{ role: "user" as const }, { disabled: true }, { role: "user" as const, disabled: true }]) {
      await expect(updateUser(deps, { userId: only.id, patch, actor: actor(null) })).rejects.toMatchObject({
        code: "last_admin",
        status: 409,
      });
    }
    expect(await stateOf(only.id)).toEqual({ role: "admin", disabled: false });
    expect(await events(only.id)).toEqual([]);

    // With a second active admin, that one may demote the first.
    const second = await admin();
    await updateUser(deps, { userId: only.id, patch: { role: "user" }, actor: actor(second.id) });
    expect(await activeAdmins()).toEqual([second.id]);
  });

  it("refuses an admin disabling or demoting themself (cannot_change_self), even with other admins", async () => {
    const a = await admin();
    await admin();
    for (const patch of [{ role: "user" as const }, { disabled: true }, { role: "user" as const, disabled: true }]) {
      await expect(updateUser(deps, { userId: a.id, patch, actor: actor(a.id) })).rejects.toMatchObject({
        code: "cannot_change_self",
        status: 409,
      });
    }
    expect(await stateOf(a.id)).toEqual({ role: "admin", disabled: false });
    // A patch that changes nothing about their own access is not refused.
    await expect(updateUser(deps, { userId: a.id, patch: { role: "admin", disabled: false }, actor: actor(a.id) })).resolves.toMatchObject({
      role: "admin",
      disabled: false,
    });
    expect(await events(a.id)).toEqual([]);
  });

  it("the command line is not bound by the self rule: it has no account", async () => {
    const a = await admin();
    const b = await admin();
    await updateUser(deps, { userId: a.id, patch: { role: "user" }, actor: actor(null) });
    expect(await activeAdmins()).toEqual([b.id]);
    expect(await events(a.id)).toEqual([
      { type: "role_changed", actorId: null, address: meta.address, detail: JSON.stringify({ from: "admin", to: "user" }) },
    ]);
  });

  it("two admins demoting each other at once leave exactly one admin, round after round", async () => {
    const x = await admin();
    const y = await admin();
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled([
        updateUser(deps, { userId: y.id, patch: { role: "user" }, actor: actor(x.id) }),
        updateUser(deps, { userId: x.id, patch: { role: "user" }, actor: actor(y.id) }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      // The loser's own demotion has just committed, but the rule it breaks is the last-admin one.
      expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "last_admin", status: 409 } });
      const winner = results[0]?.status === "fulfilled" ? x : y;
      const loser = winner === x ? y : x;
      expect(await activeAdmins()).toEqual([winner.id]);
      await updateUser(deps, { userId: loser.id, patch: { role: "admin" }, actor: actor(winner.id) });
    }
  });

  it("two admins disabling each other at once leave exactly one active admin", async () => {
    const x = await admin();
    const y = await admin();
    const results = await Promise.allSettled([
      updateUser(deps, { userId: y.id, patch: { disabled: true }, actor: actor(x.id) }),
      updateUser(deps, { userId: x.id, patch: { disabled: true }, actor: actor(y.id) }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "last_admin" } });
    expect(await activeAdmins()).toHaveLength(1);
  });

  it("refuses an actor who is no longer an active admin (forbidden) and changes nothing", async () => {
    const [x, y] = [await admin(), await admin()];
    const target = await seedUser(deps);
    await updateUser(deps, { userId: x.id, patch: { role: "user" }, actor: actor(y.id) });
    await expect(updateUser(deps, { userId: target.id, patch: { role: "admin" }, actor: actor(x.id) })).rejects.toMatchObject({
      code: "forbidden",
      status: 403,
    });

    const z = await admin();
    await updateUser(deps, { userId: z.id, patch: { disabled: true }, actor: actor(y.id) });
    await expect(updateUser(deps, { userId: target.id, patch: { disabled: true }, actor: actor(z.id) })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(updateUser(deps, { userId: target.id, patch: { role: "admin" }, actor: actor(randomUUID()) })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await stateOf(target.id)).toEqual({ role: "user", disabled: false });
    expect(await events(target.id)).toEqual([]);
  });

  it("answers an unknown account with not_found", async () => {
    const a = await admin();
    await expect(updateUser(deps, { userId: randomUUID(), patch: { role: "admin" }, actor: actor(a.id) })).rejects.toMatchObject({
      code: "not_found",
      status: 404,
    });
  });
});
