import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "@/lib/auth/secrets";
import { createMailTestDeps, type MailTestDeps, seedUser } from "@/test/support/deps";
import { linkFrom } from "@/test/support/smtp";
import { requestPasswordReset } from "./request-password-reset";

const newMeta = () => ({ address: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`, userAgent: "vitest" });
const newName = () => `r${randomUUID().slice(0, 8)}`;

describe("requestPasswordReset", () => {
  let deps: MailTestDeps;
  beforeAll(async () => {
    deps = await createMailTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("mails a single-use link to the account's address, and stores only its hash", async () => {
    const username = newName();
    const user = await seedUser(deps, { username, email: `${username}@example.com` });
    await requestPasswordReset(deps, { identifier: username, meta: newMeta() });
    await deps.tasks.idle();

    const mail = await deps.smtp.waitFor((m) => m.to.includes(`${username}@example.com`));
    expect(mail.subject).toBe("Reset your Latchkey password");
    expect(mail.html).toContain("/reset-password?token=");
    const { url, token } = linkFrom(mail, "/reset-password");
    expect(url).toBe(`http://localhost:3000/reset-password?token=${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const rows = await deps.db.accountToken.findMany({
      where: { userId: user.id },
      select: { tokenHash: true, purpose: true, expiresAt: true },
    });
    expect(rows).toEqual([
      { tokenHash: sha256(token), purpose: "password_reset", expiresAt: new Date(deps.clock.now().getTime() + 30 * 60_000) },
    ]);
    const audit = await deps.db.auditEvent.findMany({ where: { userId: user.id }, select: { type: true, detail: true, subject: true } });
    expect(audit).toEqual([{ type: "password_reset_requested", subject: username, detail: JSON.stringify({ mailed: true }) }]);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("finds the account by email too, and a new link voids the previous one", async () => {
    const username = newName();
    const email = `${username}@example.com`;
    const user = await seedUser(deps, { username, email });
    await requestPasswordReset(deps, { identifier: email, meta: newMeta() });
    await deps.tasks.idle();
    await requestPasswordReset(deps, { identifier: username, meta: newMeta() });
    await deps.tasks.idle();
    const live = await deps.db.accountToken.count({ where: { userId: user.id, usedAt: null } });
    const all = await deps.db.accountToken.count({ where: { userId: user.id } });
    expect([live, all]).toEqual([1, 2]);
  });

  it("answers the same for an unknown name, an account without email and a disabled one, and mails nothing", async () => {
    const noEmail = await seedUser(deps);
    const disabledName = newName();
    await seedUser(deps, { username: disabledName, email: `${disabledName}@example.com`, disabled: true });
    const before = deps.smtp.messages.length;
    for (const identifier of [newName(), noEmail.username, disabledName]) {
      await expect(requestPasswordReset(deps, { identifier, meta: newMeta() })).resolves.toBeUndefined();
    }
    await deps.tasks.idle();
    expect(deps.smtp.messages.length).toBe(before);
    expect(await deps.db.accountToken.count({ where: { user: { username: { in: [noEmail.username, disabledName] } } } })).toBe(0);
    const reasons = await deps.db.auditEvent.findMany({
      where: { type: "password_reset_requested", subject: { in: [noEmail.username, disabledName] } },
      select: { detail: true },
    });
    expect(reasons.map((r) => JSON.parse(r.detail ?? "{}")).sort((a, b) => a.reason.localeCompare(b.reason))).toEqual([
      { mailed: false, reason: "disabled" },
      { mailed: false, reason: "no_email" },
    ]);
  });

  it("refuses a fourth request for one name within ten minutes, known or not, with Retry-After", async () => {
    for (const identifier of [newName(), (await seedUser(deps, { email: `${newName()}@example.com` })).username]) {
      for (let i = 0; i < 3; i++) await requestPasswordReset(deps, { identifier, meta: newMeta() });
      const refused = requestPasswordReset(deps, { identifier, meta: newMeta() });
      await expect(refused).rejects.toMatchObject({ code: "too_many_attempts", status: 429 });
      const error = (await refused.catch((e: unknown) => e)) as { headers?: Record<string, string> };
      expect(Number(error.headers?.["retry-after"])).toBeGreaterThan(500);
    }
    await deps.tasks.idle();
  });
});
