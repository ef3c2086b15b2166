import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMailTestDeps, type MailTestDeps, seedUser } from "@/test/support/deps";
import { linkFrom } from "@/test/support/smtp";
import { sendVerification } from "../account/send-verification";
import { verifyEmail } from "./verify-email";

const newMeta = () => ({ address: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`, userAgent: "vitest" });

describe("sendVerification and verifyEmail", () => {
  let deps: MailTestDeps;
  beforeAll(async () => {
    deps = await createMailTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  async function unverified() {
    const username = `v${randomUUID().slice(0, 8)}`;
    const email = `${username}@example.com`;
    return { ...(await seedUser(deps, { username, email })), email };
  }

  async function linkFor(email: string) {
    const mail = await deps.smtp.waitFor((m) => m.to.includes(email) && m.subject.startsWith("Confirm your email"));
    deps.smtp.clear();
    return linkFrom(mail, "/verify-email").token;
  }

  it("mails a link that confirms the address once", async () => {
    const user = await unverified();
    await sendVerification(deps, { userId: user.id, meta: newMeta() });
    const token = await linkFor(user.email);
    const verified = await verifyEmail(deps, { token, meta: newMeta() });
    expect(verified).toMatchObject({ id: user.id, email: user.email, emailVerified: true });
    await expect(verifyEmail(deps, { token, meta: newMeta() })).rejects.toMatchObject({ code: "invalid_token", status: 400 });
    await expect(sendVerification(deps, { userId: user.id, meta: newMeta() })).rejects.toMatchObject({
      code: "already_verified",
      status: 409,
    });
  });

  it("voids the older link when a new one is sent, and refuses after 24 hours", async () => {
    const user = await unverified();
    await sendVerification(deps, { userId: user.id, meta: newMeta() });
    const older = await linkFor(user.email);
    await sendVerification(deps, { userId: user.id, meta: newMeta() });
    const newer = await linkFor(user.email);
    await expect(verifyEmail(deps, { token: older, meta: newMeta() })).rejects.toMatchObject({ code: "invalid_token" });
    deps.clock.advance(24 * 3_600_000 + 1);
    await expect(verifyEmail(deps, { token: newer, meta: newMeta() })).rejects.toMatchObject({ code: "invalid_token" });
  });

  it("confirms nothing when the account's address changed since the link was sent", async () => {
    const user = await unverified();
    await sendVerification(deps, { userId: user.id, meta: newMeta() });
    const token = await linkFor(user.email);
    await deps.db.user.update({ where: { id: user.id }, data: { email: `other-${user.email}` }, select: { id: true } });
    await expect(verifyEmail(deps, { token, meta: newMeta() })).rejects.toMatchObject({ code: "invalid_token" });
    const row = await deps.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { emailVerifiedAt: true } });
    expect(row.emailVerifiedAt).toBeNull();
  });

  it("says when there is no address, and limits resends to three in ten minutes", async () => {
    const bare = await seedUser(deps);
    await expect(sendVerification(deps, { userId: bare.id, meta: newMeta() })).rejects.toMatchObject({ code: "no_email", status: 409 });
    const user = await unverified();
    for (let i = 0; i < 3; i++) await sendVerification(deps, { userId: user.id, meta: newMeta() });
    await expect(sendVerification(deps, { userId: user.id, meta: newMeta() })).rejects.toMatchObject({ code: "too_many_attempts" });
    deps.smtp.clear();
  });
});
