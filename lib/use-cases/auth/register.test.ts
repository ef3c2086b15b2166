import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import type { RegisterBody } from "@/lib/validation/fields";
import { createTestDeps, seedUser, type TestDeps } from "@/test/support/deps";
import { register } from "./register";

const PASSWORD = "quiet lantern harbour meadow 47";
const newMeta = () => ({ address: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`, userAgent: "vitest" });
const newName = () => `r${randomUUID().slice(0, 8)}`;
const body = (b: Partial<Record<keyof RegisterBody, string>> = {}): (() => Promise<unknown>) => {
  const value = { username: newName(), password: PASSWORD, ...b };
  return async () => value;
};

describe("register (THROTTLE_ADDRESS_REGISTRATIONS=2)", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps({ env: { THROTTLE_ADDRESS_REGISTRATIONS: "2" } });
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  const usersNamed = (username: string) => deps.db.user.count({ where: { username } });

  it("creates the account with a real hash and records register", async () => {
    const username = newName();
    const email = `${username}@example.com`;
    const meta = newMeta();
    const user = await register(deps, { fields: body({ username, email }), meta });
    expect(user).toMatchObject({ username, email, role: "user" });

    const row = await deps.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ username, email, role: "user", disabled: false });
    expect(row.passwordHash).not.toContain(PASSWORD);
    expect(await deps.hasher.verify(PASSWORD, row.passwordHash)).toBe(true);

    const events = await deps.db.auditEvent.findMany({ where: { userId: user.id }, select: { type: true, actorId: true, address: true } });
    expect(events).toEqual([
      { type: "register", actorId: user.id, address: meta.address },
      // Signing up with an email mails a confirmation link.
      { type: "email_verification_sent", actorId: user.id, address: meta.address },
    ]);
  });

  it("refuses a taken username with username_taken on the username field", async () => {
    const taken = await seedUser(deps);
    const e = register(deps, { fields: body({ username: taken.username }), meta: newMeta() });
    await expect(e).rejects.toMatchObject({ code: "username_taken", status: 409, fields: { username: [expect.any(String)] } });
    expect(await usersNamed(taken.username)).toBe(1);
  });

  it("refuses a taken email with email_taken on the email field", async () => {
    const email = `${newName()}@example.com`;
    await seedUser(deps, { email });
    const username = newName();
    await expect(register(deps, { fields: body({ username, email }), meta: newMeta() })).rejects.toMatchObject({
      code: "email_taken",
      fields: { email: [expect.any(String)] },
    });
    expect(await usersNamed(username)).toBe(0);
  });

  it("refuses a too-short password with validation_failed on the password field", async () => {
    const username = newName();
    await expect(register(deps, { fields: body({ username, password: "short pw 1" }), meta: newMeta() })).rejects.toMatchObject({
      code: "validation_failed",
      status: 422,
      fields: { password: [expect.stringContaining("at least")] },
    });
    expect(await usersNamed(username)).toBe(0);
  });

  it("reports a taken username together with a short password and a bad email (422, every field)", async () => {
    const taken = await seedUser(deps);
    const e = register(deps, { fields: body({ username: taken.username, password: "short", email: "not an email" }), meta: newMeta() });
    await expect(e).rejects.toMatchObject({
      code: "validation_failed",
      status: 422,
      fields: {
        username: ["That username is already taken."],
        email: ["Enter a valid email address."],
        password: [expect.stringContaining("at least")],
      },
    });
  });

  it("reports a taken username together with a common password (422 weak_password, both fields)", async () => {
    const taken = await seedUser(deps);
    const e = register(deps, { fields: body({ username: taken.username, password: "passwordpassword" }), meta: newMeta() });
    await expect(e).rejects.toMatchObject({
      code: "weak_password",
      status: 422,
      fields: { username: ["That username is already taken."], password: [expect.stringContaining("common")] },
    });
  });

  it("reports a taken username and a taken email together (409, both fields)", async () => {
    const email = `${newName()}@example.com`;
    const taken = await seedUser(deps, { email });
    const e = register(deps, { fields: body({ username: taken.username, email }), meta: newMeta() });
    await expect(e).rejects.toMatchObject({
      code: "username_taken",
      status: 409,
      fields: { username: ["That username is already taken."], email: ["That email address is already in use."] },
    });
  });

  it("reports an unknown key and a missing password with the other fields", async () => {
    const fields = async () => ({ username: "ab", role: "admin" });
    await expect(register(deps, { fields, meta: newMeta() })).rejects.toMatchObject({
      code: "validation_failed",
      fields: { username: [expect.stringContaining("at least 3")], password: [expect.any(String)], role: [expect.any(String)] },
    });
  });

  it.each([
    ["common", "passwordpassword"],
    ["containing the username", "USERNAME and then some more words"],
  ])("refuses a %s password with weak_password on the password field", async (_, template) => {
    const username = newName();
    const password = template.replace("USERNAME", username);
    const meta = newMeta();
    await expect(register(deps, { fields: body({ username, password }), meta })).rejects.toMatchObject({
      code: "weak_password",
      status: 422,
      fields: { password: [expect.any(String)] },
    });
    expect(await usersNamed(username)).toBe(0);
    expect(await deps.db.auditEvent.count({ where: { address: meta.address } })).toBe(0);
  });

  it("throttles the third sign-up from one address without reading its fields", async () => {
    const meta = newMeta();
    // Malformed sign-ups count like any other.
    const malformed = vi.fn(async (): Promise<unknown> => {
      throw new AppError("validation_failed");
    });
    await expect(register(deps, { fields: malformed, meta })).rejects.toMatchObject({ code: "validation_failed" });
    await register(deps, { fields: body(), meta });
    expect(malformed).toHaveBeenCalledTimes(1);

    const spy = vi.fn(body());
    const refused = await register(deps, { fields: spy, meta }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "too_many_attempts", status: 429 });
    expect(Number((refused as AppError).headers?.["retry-after"])).toBeGreaterThan(0);
    expect(spy).not.toHaveBeenCalled();

    const events = await deps.db.auditEvent.findMany({ where: { address: meta.address }, select: { type: true, detail: true } });
    expect(events.map((ev) => ev.type).sort()).toEqual(["register", "registration_throttled"]);
    expect(JSON.parse(events.find((ev) => ev.type === "registration_throttled")?.detail ?? "null")).toEqual({ rule: "address" });
    // Another address is not affected.
    await expect(register(deps, { fields: body(), meta: newMeta() })).resolves.toMatchObject({ role: "user" });
  });

  it("two concurrent sign-ups of one name: exactly one succeeds, the other gets username_taken", async () => {
    const username = newName();
    const results = await Promise.allSettled([
      register(deps, { fields: body({ username }), meta: newMeta() }),
      register(deps, { fields: body({ username }), meta: newMeta() }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatchObject({ code: "username_taken" });
    expect(await usersNamed(username)).toBe(1);
    const { id } = await deps.db.user.findUniqueOrThrow({ where: { username }, select: { id: true } });
    expect(await deps.db.auditEvent.count({ where: { type: "register", userId: id } })).toBe(1);
  });

  it("two concurrent sign-ups of one email: exactly one succeeds, the other gets email_taken", async () => {
    const email = `${newName()}@example.com`;
    const results = await Promise.allSettled([
      register(deps, { fields: body({ email }), meta: newMeta() }),
      register(deps, { fields: body({ email }), meta: newMeta() }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "email_taken" } });
    expect(await deps.db.user.count({ where: { email } })).toBe(1);
  });
});
