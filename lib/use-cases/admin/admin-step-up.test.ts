// SPEC "Step-up": admin role changes and deletes need the admin's fresh authentication; the
// command line, which has no session, is not asked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markAuthenticated } from "@/lib/auth/freshness";
import { createSession } from "@/lib/auth/session-store";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import { deleteUser } from "./delete-user";
import { updateUser } from "./update-user";

describe("admin step-up", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("refuses a role change and a delete on a stale sign-in, and allows them once it is renewed", async () => {
    const admin = await seedUser(deps, { role: "admin" });
    const { sessionId } = await createSession(deps, { userId: admin.id, ...meta });
    const actor = { actorId: admin.id, sessionId, ...meta };
    const target = await seedUser(deps);
    deps.clock.advance(deps.config.REAUTH_TTL + 1_000);

    await expect(updateUser(deps, { userId: target.id, patch: { role: "admin" }, actor })).rejects.toMatchObject({
      code: "reauthentication_required",
      status: 403,
    });
    await expect(deleteUser(deps, { userId: target.id, actor })).rejects.toMatchObject({ code: "reauthentication_required" });
    expect(await deps.db.user.findUniqueOrThrow({ where: { id: target.id }, select: { role: true } })).toEqual({ role: "user" });
    // Disabling is not on the SPEC's list: it stays a one-click action.
    await expect(updateUser(deps, { userId: target.id, patch: { disabled: true }, actor })).resolves.toMatchObject({ disabled: true });

    await markAuthenticated(deps, sessionId);
    await expect(updateUser(deps, { userId: target.id, patch: { role: "admin" }, actor })).resolves.toMatchObject({ role: "admin" });
    const other = await seedUser(deps);
    await expect(deleteUser(deps, { userId: other.id, actor })).resolves.toBeUndefined();
  });

  it("does not ask the command line, which has no session", async () => {
    const target = await seedUser(deps);
    deps.clock.advance(deps.config.REAUTH_TTL + 1_000);
    const cli = { actorId: null, address: "cli", userAgent: "latchkey-cli" };
    await expect(updateUser(deps, { userId: target.id, patch: { role: "admin" }, actor: cli })).resolves.toMatchObject({ role: "admin" });
  });
});
