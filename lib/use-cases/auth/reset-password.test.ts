import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueAccountToken } from "@/lib/auth/account-tokens";
import { createSession } from "@/lib/auth/session-store";
import { createMailTestDeps, type MailTestDeps, seedUser } from "@/test/support/deps";
import { resetPassword } from "./reset-password";

const newMeta = () => ({ address: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`, userAgent: "vitest" });
const NEW_PASSWORD = "a brand new passphrase for the reset";

describe("resetPassword", () => {
  let deps: MailTestDeps;
  beforeAll(async () => {
    deps = await createMailTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  async function userWithLink(opts: { email?: boolean } = {}) {
    const username = `p${randomUUID().slice(0, 8)}`;
    const email = opts.email === false ? null : `${username}@example.com`;
    const user = await seedUser(deps, { username, email });
    const token = await issueAccountToken(deps, { userId: user.id, purpose: "password_reset" });
    return { ...user, email, token };
  }

  it("sets the new password, ends every session, voids other links and mails a notice", async () => {
    const user = await userWithLink();
    const sessions = [
      await createSession(deps, { userId: user.id, ...newMeta() }),
      await createSession(deps, { userId: user.id, ...newMeta() }),
    ];
    await resetPassword(deps, { token: user.token, password: NEW_PASSWORD, meta: newMeta() });

    const row = await deps.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true, passwordChangedAt: true } });
    expect(await deps.hasher.verify(NEW_PASSWORD, row.passwordHash)).toBe(true);
    expect(await deps.hasher.verify(user.password, row.passwordHash)).toBe(false);
    expect(row.passwordChangedAt).toEqual(deps.clock.now());
    const ended = await deps.db.session.findMany({
      where: { id: { in: sessions.map((s) => s.sessionId) } },
      select: { revokedReason: true },
    });
    expect(ended).toEqual([{ revokedReason: "password_reset" }, { revokedReason: "password_reset" }]);
    expect(await deps.db.accountToken.count({ where: { userId: user.id, usedAt: null } })).toBe(0);

    const notice = await deps.smtp.waitFor((m) => m.to.includes(user.email as string) && m.subject.includes("changed"));
    expect(notice.text).toContain("http://localhost:3000/forgot-password");
    const audit = await deps.db.auditEvent.findMany({ where: { userId: user.id }, select: { type: true } });
    expect(audit.map((a) => a.type)).toEqual(["password_reset"]);
  });

  it("marks the address verified when the link went to the account's current address", async () => {
    const verifiedAt = async (id: string) =>
      (await deps.db.user.findUniqueOrThrow({ where: { id }, select: { emailVerifiedAt: true } })).emailVerifiedAt;
    const user = await userWithLink();
    const mailed = await issueAccountToken(deps, { userId: user.id, purpose: "password_reset", email: user.email });
    await resetPassword(deps, { token: mailed, password: NEW_PASSWORD, meta: newMeta() });
    expect(await verifiedAt(user.id)).toEqual(deps.clock.now());
    // A link mailed to an address the account no longer has proves nothing about the new one.
    const moved = await userWithLink();
    const stale = await issueAccountToken(deps, { userId: moved.id, purpose: "password_reset", email: "old.address@example.com" });
    await resetPassword(deps, { token: stale, password: NEW_PASSWORD, meta: newMeta() });
    expect(await verifiedAt(moved.id)).toBeNull();
    // Nor does a link with no address on record (handed over by an admin).
    const handed = await userWithLink();
    await resetPassword(deps, { token: handed.token, password: NEW_PASSWORD, meta: newMeta() });
    expect(await verifiedAt(handed.id)).toBeNull();
  });

  it("is single use: the same link again is invalid_token (400)", async () => {
    const user = await userWithLink({ email: false });
    await resetPassword(deps, { token: user.token, password: NEW_PASSWORD, meta: newMeta() });
    await expect(resetPassword(deps, { token: user.token, password: `${NEW_PASSWORD} 2`, meta: newMeta() })).rejects.toMatchObject({
      code: "invalid_token",
      status: 400,
    });
  });

  it("lets exactly one of two concurrent uses win", async () => {
    const user = await userWithLink({ email: false });
    const passwords = ["first concurrent passphrase here", "second concurrent passphrase here"];
    const results = await Promise.allSettled(
      passwords.map((password) => resetPassword(deps, { token: user.token, password, meta: newMeta() })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const winner = passwords[results.findIndex((r) => r.status === "fulfilled")] as string;
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toMatchObject({ code: "invalid_token" });
    const row = await deps.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    expect(await deps.hasher.verify(winner, row.passwordHash)).toBe(true);
  });

  it("expires after 30 minutes", async () => {
    const user = await userWithLink({ email: false });
    deps.clock.advance(30 * 60_000 + 1);
    await expect(resetPassword(deps, { token: user.token, password: NEW_PASSWORD, meta: newMeta() })).rejects.toMatchObject({
      code: "invalid_token",
    });
  });

  it("is bound to its purpose: a verification link is no reset link", async () => {
    const user = await seedUser(deps, { email: `${randomUUID().slice(0, 8)}@example.com` });
    const token = await issueAccountToken(deps, { userId: user.id, purpose: "email_verification", email: "x@example.com" });
    await expect(resetPassword(deps, { token, password: NEW_PASSWORD, meta: newMeta() })).rejects.toMatchObject({ code: "invalid_token" });
    for (const bogus of ["", "short", "A".repeat(43), `${token}x`]) {
      await expect(resetPassword(deps, { token: bogus, password: NEW_PASSWORD, meta: newMeta() })).rejects.toMatchObject({
        code: "invalid_token",
      });
    }
  });

  it("refuses a weak password without spending the link", async () => {
    const user = await userWithLink({ email: false });
    await expect(resetPassword(deps, { token: user.token, password: "password12345678", meta: newMeta() })).rejects.toMatchObject({
      code: "weak_password",
      fields: { password: expect.any(Array) },
    });
    await expect(resetPassword(deps, { token: user.token, password: NEW_PASSWORD, meta: newMeta() })).resolves.toBeUndefined();
  });

  it("refuses a disabled account's link", async () => {
    const user = await userWithLink({ email: false });
    await deps.db.user.update({ where: { id: user.id }, data: { disabled: true }, select: { id: true } });
    await expect(resetPassword(deps, { token: user.token, password: NEW_PASSWORD, meta: newMeta() })).rejects.toMatchObject({
      code: "invalid_token",
    });
  });
});
