import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { createMailTestDeps, type MailTestDeps, seedUser } from "@/test/support/deps";
import { linkFrom } from "@/test/support/smtp";
import { login } from "./login";
import { register } from "./register";
import { verifyEmail } from "./verify-email";

const newMeta = () => ({ address: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`, userAgent: "vitest" });

describe("EMAIL_VERIFICATION=required", () => {
  let deps: MailTestDeps;
  beforeAll(async () => {
    vi.stubEnv("AUTH_SIGNING_KEYS", JSON.stringify(await generateKeySet()));
    deps = await createMailTestDeps({ env: { EMAIL_VERIFICATION: "required" } });
  });
  afterAll(async () => {
    await deps.cleanup();
    vi.unstubAllEnvs();
  });

  it("needs an email at sign-up", async () => {
    const fields = async () => ({ username: `n${randomUUID().slice(0, 8)}`, password: "a perfectly fine passphrase" });
    await expect(register(deps, { fields, meta: newMeta() })).rejects.toMatchObject({
      code: "validation_failed",
      fields: { email: expect.any(Array) },
    });
  });

  it("refuses an unverified account only after the right password, mailing a new link; then signs in once verified", async () => {
    const username = `u${randomUUID().slice(0, 8)}`;
    const email = `${username}@example.com`;
    const user = await seedUser(deps, { username, email });

    await expect(login(deps, { identifier: username, password: "wrong password entirely", meta: newMeta() })).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    expect(deps.smtp.messages.filter((m) => m.to.includes(email))).toHaveLength(0);

    await expect(login(deps, { identifier: username, password: user.password, meta: newMeta() })).rejects.toMatchObject({
      code: "email_unverified",
      status: 403,
    });
    expect(await deps.db.session.count({ where: { userId: user.id } })).toBe(0);
    const mail = await deps.smtp.waitFor((m) => m.to.includes(email));
    await verifyEmail(deps, { token: linkFrom(mail, "/verify-email").token, meta: newMeta() });

    const signedIn = await login(deps, { identifier: username, password: user.password, meta: newMeta() });
    expect(signedIn.user).toMatchObject({ id: user.id, emailVerified: true });
  });
});
