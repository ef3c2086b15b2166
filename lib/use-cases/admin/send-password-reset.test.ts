import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueAccountToken } from "@/lib/auth/account-tokens";
import { sha256 } from "@/lib/auth/secrets";
import { createSession } from "@/lib/auth/session-store";
import { createMailTestDeps, createTestDeps, type MailTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import { linkFrom } from "@/test/support/smtp";
import { resetPassword } from "../auth/reset-password";
import type { AdminActor } from "../meta";
import { sendPasswordReset } from "./send-password-reset";

const NEW_PASSWORD = "a brand new passphrase 77";
const newName = () => `p${randomUUID().slice(0, 8)}`;

describe("sendPasswordReset, mail on", () => {
  let deps: MailTestDeps;
  let actor: AdminActor;
  beforeAll(async () => {
    deps = await createMailTestDeps();
    actor = { actorId: (await seedUser(deps, { role: "admin" })).id, ...meta };
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  const passwordHashOf = async (id: string) =>
    (await deps.db.user.findUniqueOrThrow({ where: { id }, select: { passwordHash: true } })).passwordHash;

  it("ends every session, voids earlier links, mails a new one, keeps the password, and audits the admin", async () => {
    const username = newName();
    const email = `${username}@example.com`;
    const user = await seedUser(deps, { username, email });
    for (let i = 0; i < 2; i++) await createSession(deps, { userId: user.id, ...meta });
    const bystander = await seedUser(deps);
    await createSession(deps, { userId: bystander.id, ...meta });
    const earlier = await issueAccountToken(deps, { userId: user.id, purpose: "password_reset" });
    const hashBefore = await passwordHashOf(user.id);

    expect(await sendPasswordReset(deps, { userId: user.id, actor })).toEqual({ mailed: true });

    const sessions = await deps.db.session.findMany({ where: { userId: user.id }, select: { revokedReason: true } });
    expect(sessions).toEqual([{ revokedReason: "admin_password_reset" }, { revokedReason: "admin_password_reset" }]);
    expect(await deps.db.session.count({ where: { userId: bystander.id, revokedAt: null } })).toBe(1);
    expect(await passwordHashOf(user.id)).toBe(hashBefore);
    expect(await deps.db.accountToken.findUniqueOrThrow({ where: { tokenHash: sha256(earlier) }, select: { usedAt: true } })).toEqual({
      usedAt: expect.any(Date),
    });
    const events = await deps.db.auditEvent.findMany({
      where: { userId: user.id },
      select: { type: true, actorId: true, address: true, detail: true },
    });
    expect(events).toEqual([
      {
        type: "password_reset_by_admin",
        actorId: actor.actorId,
        address: meta.address,
        detail: JSON.stringify({ mailed: true, sessionsEnded: 2 }),
      },
    ]);

    const mail = await deps.smtp.waitFor((m) => m.to.includes(email));
    expect(mail.subject).toBe("Reset your Latchkey password");
    const { token } = linkFrom(mail, "/reset-password");
    expect(JSON.stringify(events)).not.toContain(token);
    await expect(resetPassword(deps, { token: earlier, password: NEW_PASSWORD, meta })).rejects.toMatchObject({ code: "invalid_token" });
    await resetPassword(deps, { token, password: NEW_PASSWORD, meta });
    expect(await deps.hasher.verify(NEW_PASSWORD, await passwordHashOf(user.id))).toBe(true);
  });

  it("hands the link to the admin when the account has no email", async () => {
    const user = await seedUser(deps);
    const result = await sendPasswordReset(deps, { userId: user.id, actor });
    expect(result).toEqual({ mailed: false, resetUrl: expect.stringMatching(/^http:\/\/localhost:3000\/reset-password\?token=/) });
    const event = await deps.db.auditEvent.findFirstOrThrow({ where: { userId: user.id }, select: { detail: true } });
    expect(event.detail).toBe(JSON.stringify({ mailed: false, sessionsEnded: 0 }));
  });

  it("answers an unknown account with not_found and refuses a non-admin, ending nothing", async () => {
    await expect(sendPasswordReset(deps, { userId: randomUUID(), actor })).rejects.toMatchObject({ code: "not_found", status: 404 });
    const user = await seedUser(deps);
    await createSession(deps, { userId: user.id, ...meta });
    const notAdmin = await seedUser(deps);
    await expect(sendPasswordReset(deps, { userId: user.id, actor: { ...actor, actorId: notAdmin.id } })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await deps.db.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(1);
    expect(await deps.db.accountToken.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("sendPasswordReset, EMAIL_DELIVERY=off", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps({ env: { EMAIL_DELIVERY: "off" } });
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("returns the reset link even for an account with an email, and the link works", async () => {
    const admin = await seedUser(deps, { role: "admin" });
    const user = await seedUser(deps, { email: `${newName()}@example.com` });
    await createSession(deps, { userId: user.id, ...meta });
    const result = await sendPasswordReset(deps, { userId: user.id, actor: { actorId: admin.id, ...meta } });
    if (result.mailed) throw new Error("expected the link back");
    expect(await deps.db.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    await resetPassword(deps, { token: new URL(result.resetUrl).searchParams.get("token") ?? "", password: NEW_PASSWORD, meta });
    const row = await deps.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    expect(await deps.hasher.verify(NEW_PASSWORD, row.passwordHash)).toBe(true);
  });
});
