import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/lib/auth/session-store";
import { createMailTestDeps, type MailTestDeps, seedUser } from "@/test/support/deps";
import { linkFrom } from "@/test/support/smtp";
import { confirmEmailChange } from "../auth/confirm-email-change";
import { reauthenticate } from "../auth/reauthenticate";
import { requestEmailChange } from "./request-email-change";

const newMeta = () => ({ address: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`, userAgent: "vitest" });
const name = () => `c${randomUUID().slice(0, 8)}`;

describe("email change", () => {
  let deps: MailTestDeps;
  beforeAll(async () => {
    deps = await createMailTestDeps({ env: { REAUTH_TTL: "5m" } });
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  async function signedIn() {
    const username = name();
    const email = `${username}@old.example`;
    const user = await seedUser(deps, { username, email });
    const { sessionId } = await createSession(deps, { userId: user.id, ...newMeta() });
    return { ...user, email, sessionId };
  }

  it("changes nothing until the link mailed to the new address is used, and tells the old address", async () => {
    const user = await signedIn();
    const next = `${user.username}@new.example`;
    await requestEmailChange(deps, { userId: user.id, sessionId: user.sessionId, email: next, meta: newMeta() });

    const notice = await deps.smtp.waitFor((m) => m.to.includes(user.email));
    expect(notice.text).toContain(next);
    expect(notice.text).not.toContain("/confirm-email");
    const mail = await deps.smtp.waitFor((m) => m.to.includes(next));
    const { token } = linkFrom(mail, "/confirm-email");
    expect((await deps.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { email: true } })).email).toBe(user.email);

    const changed = await confirmEmailChange(deps, { token, meta: newMeta() });
    expect(changed).toMatchObject({ email: next, emailVerified: true });
    await expect(confirmEmailChange(deps, { token, meta: newMeta() })).rejects.toMatchObject({ code: "invalid_token", status: 400 });
    const types = (await deps.db.auditEvent.findMany({ where: { userId: user.id }, select: { type: true } })).map((e) => e.type);
    expect(types).toEqual(["email_change_requested", "email_changed"]);
  });

  it("needs a fresh authentication: after REAUTH_TTL, 403 until the password is given again", async () => {
    const user = await signedIn();
    deps.clock.advance(5 * 60_000 + 1);
    const change = () =>
      requestEmailChange(deps, { userId: user.id, sessionId: user.sessionId, email: `${name()}@new.example`, meta: newMeta() });
    await expect(change()).rejects.toMatchObject({ code: "reauthentication_required", status: 403 });
    const base = { userId: user.id, sessionId: user.sessionId, meta: newMeta() };
    await expect(reauthenticate(deps, { ...base, password: "not the password at all" })).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    await expect(change()).rejects.toMatchObject({ code: "reauthentication_required" });
    await reauthenticate(deps, { ...base, password: user.password });
    await expect(change()).resolves.toBeUndefined();
  });

  it("refuses an address in use, and the same address again", async () => {
    const user = await signedIn();
    const other = await signedIn();
    const base = { userId: user.id, sessionId: user.sessionId, meta: newMeta() };
    await expect(requestEmailChange(deps, { ...base, email: other.email })).rejects.toMatchObject({ code: "email_taken", status: 409 });
    await expect(requestEmailChange(deps, { ...base, email: user.email })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("lets one of two accounts racing for one address have it; the other gets email_taken", async () => {
    const [a, b] = [await signedIn(), await signedIn()];
    const wanted = `${name()}@contested.example`;
    for (const u of [a, b]) await requestEmailChange(deps, { userId: u.id, sessionId: u.sessionId, email: wanted, meta: newMeta() });
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) {
      const mail = await deps.smtp.waitFor((m) => m.to.includes(wanted) && !tokens.includes(linkFrom(m, "/confirm-email").token));
      tokens.push(linkFrom(mail, "/confirm-email").token);
    }
    const results = await Promise.allSettled(tokens.map((token) => confirmEmailChange(deps, { token, meta: newMeta() })));
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "email_taken" });
    expect(await deps.db.user.count({ where: { email: wanted } })).toBe(1);
  });
});
