import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSession } from "@/lib/auth/session-store";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import type { AdminActor } from "../meta";
import { deleteUser } from "./delete-user";
import { updateUser } from "./update-user";

// Each test gets its own database: "the last admin" depends on every admin in it.
describe("deleteUser", () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(async () => {
    await deps.cleanup();
  });

  const actor = (actorId: string | null): AdminActor => ({ actorId, ...meta });
  const admin = () => seedUser(deps, { role: "admin" });
  const exists = async (id: string) => (await deps.db.user.count({ where: { id } })) === 1;
  const deletions = () =>
    deps.db.auditEvent.findMany({ where: { type: "user_deleted" }, select: { userId: true, actorId: true, subject: true, detail: true } });

  it("deletes the account with its sessions and tokens, keeps its history, and records user_deleted", async () => {
    const a = await admin();
    const target = await seedUser(deps);
    const s = await createSession(deps, { userId: target.id, ...meta });
    await deps.audit.record({ type: "login_success", userId: target.id, actorId: target.id });
    const bystander = await seedUser(deps);
    await createSession(deps, { userId: bystander.id, ...meta });

    await deleteUser(deps, { userId: target.id, actor: actor(a.id) });

    expect(await exists(target.id)).toBe(false);
    expect(await deps.db.session.count({ where: { userId: target.id } })).toBe(0);
    expect(await deps.db.refreshToken.count({ where: { sessionId: s.sessionId } })).toBe(0);
    expect(await deps.db.session.count({ where: { userId: bystander.id } })).toBe(1);
    expect(await deletions()).toEqual([
      { userId: null, actorId: a.id, subject: target.username, detail: JSON.stringify({ userId: target.id }) },
    ]);
    // The account's earlier events stay, no longer linked to a row.
    expect(await deps.db.auditEvent.count({ where: { type: "login_success", actorId: target.id } })).toBe(1);
  });

  it("refuses an admin deleting themself (cannot_delete_self), even with other admins", async () => {
    const a = await admin();
    await admin();
    await expect(deleteUser(deps, { userId: a.id, actor: actor(a.id) })).rejects.toMatchObject({
      code: "cannot_delete_self",
      status: 409,
    });
    expect(await exists(a.id)).toBe(true);
    expect(await deletions()).toEqual([]);
  });

  it("never deletes the last active admin (last_admin), but may delete a disabled one", async () => {
    const only = await admin();
    const disabledAdmin = await seedUser(deps, { role: "admin", disabled: true });
    await expect(deleteUser(deps, { userId: only.id, actor: actor(null) })).rejects.toMatchObject({ code: "last_admin", status: 409 });
    expect(await exists(only.id)).toBe(true);

    await deleteUser(deps, { userId: disabledAdmin.id, actor: actor(only.id) });
    expect(await exists(disabledAdmin.id)).toBe(false);

    // With another active admin the command line may delete it.
    const second = await admin();
    await deleteUser(deps, { userId: only.id, actor: actor(null) });
    expect(await exists(only.id)).toBe(false);
    expect(await exists(second.id)).toBe(true);
  });

  it("refuses an actor who is no longer an active admin (forbidden)", async () => {
    const [x, y] = [await admin(), await admin()];
    const target = await seedUser(deps);
    await updateUser(deps, { userId: x.id, patch: { role: "user" }, actor: actor(y.id) });
    await expect(deleteUser(deps, { userId: target.id, actor: actor(x.id) })).rejects.toMatchObject({ code: "forbidden", status: 403 });
    await expect(deleteUser(deps, { userId: target.id, actor: actor(randomUUID()) })).rejects.toMatchObject({ code: "forbidden" });
    expect(await exists(target.id)).toBe(true);
    expect(await deletions()).toEqual([]);
  });

  it("two admins deleting each other at once leave exactly one", async () => {
    const [x, y] = [await admin(), await admin()];
    const results = await Promise.allSettled([
      deleteUser(deps, { userId: y.id, actor: actor(x.id) }),
      deleteUser(deps, { userId: x.id, actor: actor(y.id) }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "last_admin", status: 409 } });
    expect([await exists(x.id), await exists(y.id)].filter(Boolean)).toHaveLength(1);
    expect(await deletions()).toHaveLength(1);
  });

  it("answers an unknown account with not_found", async () => {
    const a = await admin();
    await expect(deleteUser(deps, { userId: randomUUID(), actor: actor(a.id) })).rejects.toMatchObject({ code: "not_found", status: 404 });
    expect(await deletions()).toEqual([]);
  });
});
