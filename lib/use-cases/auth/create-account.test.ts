import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDeps, seedUser, type TestDeps } from "@/test/support/deps";
import { assertPasswordAllowed, createAccount } from "./create-account";

const PASSWORD = "quiet lantern harbour meadow 47";
const newName = () => `c${randomUUID().slice(0, 8)}`;

describe("createAccount", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("creates an admin for the command line, recording the acting admin when there is one", async () => {
    const actor = await seedUser(deps, { role: "admin" });
    const username = newName();
    const user = await createAccount(deps, { username, password: PASSWORD, role: "admin", meta: { actorId: actor.id, address: null } });
    expect(user).toMatchObject({ username, role: "admin", email: null });
    expect(await deps.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { role: true } })).toEqual({ role: "admin" });
    const events = await deps.db.auditEvent.findMany({ where: { userId: user.id }, select: { type: true, actorId: true, address: true } });
    expect(events).toEqual([{ type: "register", actorId: actor.id, address: null }]);
  });

  it("says username_taken when the name is taken, even if the email is taken too", async () => {
    const email = `${newName()}@example.com`;
    const taken = await seedUser(deps, { email });
    await expect(createAccount(deps, { username: taken.username, email, password: PASSWORD })).rejects.toMatchObject({
      code: "username_taken",
      fields: { username: [expect.any(String)] },
    });
    await expect(createAccount(deps, { username: taken.username, password: PASSWORD })).rejects.toMatchObject({ code: "username_taken" });
    expect(await deps.db.user.count({ where: { OR: [{ username: taken.username }, { email }] } })).toBe(1);
  });

  it("names the field a refused password belongs to", () => {
    expect(() => assertPasswordAllowed(deps, "short", { username: "someone" }, "newPassword")).toThrow(
      expect.objectContaining({ code: "weak_password", fields: { newPassword: [expect.stringContaining("at least 15")] } }),
    );
    expect(() => assertPasswordAllowed(deps, PASSWORD, { username: "someone" })).not.toThrow();
  });

  it("refuses a password containing the email's name part", async () => {
    const local = `mailbox${randomUUID().slice(0, 6)}`;
    const username = newName();
    await expect(
      createAccount(deps, { username, email: `${local}@example.com`, password: `my ${local} is the best one` }),
    ).rejects.toMatchObject({ code: "weak_password", fields: { password: [expect.any(String)] } });
    expect(await deps.db.user.count({ where: { username } })).toBe(0);
  });
});
