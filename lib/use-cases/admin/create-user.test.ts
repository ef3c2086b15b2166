import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "@/lib/auth/secrets";
import { createMailTestDeps, createTestDeps, type MailTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import { linkFrom } from "@/test/support/smtp";
import { resetPassword } from "../auth/reset-password";
import type { AdminActor } from "../meta";
import { createUser, INVITATION_LIFETIME_MS } from "./create-user";

const NEW_PASSWORD = "a brand new passphrase 77";
const newName = () => `c${randomUUID().slice(0, 8)}`;
const tokenOf = (url: string) => new URL(url).searchParams.get("token") ?? "";

describe("createUser, mail on", () => {
  let deps: MailTestDeps;
  let actor: AdminActor;
  beforeAll(async () => {
    deps = await createMailTestDeps();
    actor = { actorId: (await seedUser(deps, { role: "admin" })).id, ...meta };
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("creates the account with a password nobody knows, audits the admin, and mails a 72-hour invitation", async () => {
    const username = newName();
    const email = `${username}@example.com`;
    const result = await createUser(deps, { username, email, role: "admin", actor });
    expect(result.setupUrl).toBeNull();
    expect(result.user).toMatchObject({ username, email, emailVerified: false, role: "admin", disabled: false, activeSessions: 0 });

    const row = await deps.db.user.findUniqueOrThrow({ where: { id: result.user.id }, select: { passwordHash: true } });
    expect(row.passwordHash.length).toBeGreaterThan(20);
    for (const guess of ["", username, email]) expect(await deps.hasher.verify(guess, row.passwordHash)).toBe(false);

    const events = await deps.db.auditEvent.findMany({
      where: { userId: result.user.id },
      select: { type: true, actorId: true, subject: true, address: true, detail: true },
    });
    expect(events).toEqual([
      {
        type: "user_created_by_admin",
        actorId: actor.actorId,
        subject: username,
        address: meta.address,
        detail: JSON.stringify({ role: "admin" }),
      },
    ]);

    const mail = await deps.smtp.waitFor((m) => m.to.includes(email));
    expect(mail.subject).toBe("You have been invited to Latchkey");
    const { url, token } = linkFrom(mail, "/reset-password");
    expect(url).toBe(`http://localhost:3000/reset-password?token=${token}`);
    expect(mail.text).toContain("72 hours");
    expect(JSON.stringify(events)).not.toContain(token);
    const stored = await deps.db.accountToken.findUniqueOrThrow({
      where: { tokenHash: sha256(token) },
      select: { purpose: true, expiresAt: true },
    });
    expect(stored).toEqual({ purpose: "password_reset", expiresAt: new Date(deps.clock.now().getTime() + INVITATION_LIFETIME_MS) });

    // The link is the reset flow's: it sets the first password, still working after the 30 minutes of a reset link.
    deps.clock.advance(24 * 3_600_000);
    await resetPassword(deps, { token, password: NEW_PASSWORD, meta });
    const after = await deps.db.user.findUniqueOrThrow({ where: { id: result.user.id }, select: { passwordHash: true } });
    expect(await deps.hasher.verify(NEW_PASSWORD, after.passwordHash)).toBe(true);
  });

  it("returns the set-up link instead when the account has no email", async () => {
    const result = await createUser(deps, { username: newName(), actor });
    expect(result.user.role).toBe("user");
    expect(result.setupUrl).toMatch(/^http:\/\/localhost:3000\/reset-password\?token=[A-Za-z0-9_-]{43}$/);
    await deps.tasks.idle();
    expect(deps.smtp.messages.filter((m) => m.text.includes(tokenOf(result.setupUrl as string)))).toEqual([]);
    const event = await deps.db.auditEvent.findFirstOrThrow({ where: { userId: result.user.id }, select: { detail: true } });
    expect(event.detail).toBe(JSON.stringify({ role: "user" }));
  });
});

describe("createUser, EMAIL_VERIFICATION=required", () => {
  let deps: MailTestDeps;
  beforeAll(async () => {
    deps = await createMailTestDeps({ env: { EMAIL_VERIFICATION: "required" } });
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("needs an email, as sign-up does: an account without one could never sign in", async () => {
    const actor = { actorId: (await seedUser(deps, { role: "admin" })).id, ...meta };
    const username = newName();
    await expect(createUser(deps, { username, actor })).rejects.toMatchObject({
      code: "validation_failed",
      status: 422,
      fields: { email: [expect.any(String)] },
    });
    expect(await deps.db.user.count({ where: { username } })).toBe(0);
  });
});

describe("createUser, EMAIL_DELIVERY=off", () => {
  let deps: TestDeps;
  let actor: AdminActor;
  beforeAll(async () => {
    deps = await createTestDeps({ env: { EMAIL_DELIVERY: "off" } });
    actor = { actorId: (await seedUser(deps, { role: "admin" })).id, ...meta };
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("returns the set-up link, which sets the password once", async () => {
    const username = newName();
    const { user, setupUrl } = await createUser(deps, { username, email: `${username}@example.com`, actor });
    expect(setupUrl).toEqual(expect.any(String));
    const token = tokenOf(setupUrl as string);
    await resetPassword(deps, { token, password: NEW_PASSWORD, meta });
    const row = await deps.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    expect(await deps.hasher.verify(NEW_PASSWORD, row.passwordHash)).toBe(true);
    await expect(resetPassword(deps, { token, password: `${NEW_PASSWORD}!`, meta })).rejects.toMatchObject({ code: "invalid_token" });
  });

  it("refuses a taken username or email (409), and of two creates of one name exactly one wins", async () => {
    const taken = await seedUser(deps, { email: `${newName()}@example.com` });
    const takenEmail = (await deps.db.user.findUniqueOrThrow({ where: { id: taken.id }, select: { email: true } })).email as string;
    await expect(createUser(deps, { username: taken.username, actor })).rejects.toMatchObject({
      code: "username_taken",
      status: 409,
      fields: { username: [expect.any(String)] },
    });
    await expect(createUser(deps, { username: newName(), email: takenEmail, actor })).rejects.toMatchObject({
      code: "email_taken",
      fields: { email: [expect.any(String)] },
    });

    const username = newName();
    const results = await Promise.allSettled([createUser(deps, { username, actor }), createUser(deps, { username, actor })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "username_taken" } });
    expect(await deps.db.user.count({ where: { username } })).toBe(1);
    expect(await deps.db.auditEvent.count({ where: { type: "user_created_by_admin", subject: username } })).toBe(1);
  });

  it("refuses an actor who is no longer an admin, and creates nothing", async () => {
    const demoted = await seedUser(deps);
    const username = newName();
    await expect(createUser(deps, { username, actor: { ...actor, actorId: demoted.id } })).rejects.toMatchObject({ code: "forbidden" });
    expect(await deps.db.user.count({ where: { username } })).toBe(0);
  });
});
