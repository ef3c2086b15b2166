import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { issueTokens } from "@/lib/auth/issue";
import { createSession, toSessionUser } from "@/lib/auth/session-store";
import { codeForStep, stepAt } from "@/lib/auth/totp";
import { createDeps } from "@/lib/deps";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { createMailTestDeps, type MailTestDeps, seedUser } from "@/test/support/deps";
import { confirmTotp } from "../account/confirm-totp";
import { enrolTotp } from "../account/enrol-totp";
import { resetSecondFactors } from "./reset-second-factors";

const newMeta = () => ({ address: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`, userAgent: "vitest" });

describe("admin: second factors", () => {
  let deps: MailTestDeps;
  beforeAll(async () => {
    vi.stubEnv("AUTH_SIGNING_KEYS", JSON.stringify(await generateKeySet()));
    deps = await createMailTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
    vi.unstubAllEnvs();
  });

  async function withTotp(opts: { role?: "admin" | "user"; email?: string } = {}) {
    const user = await seedUser(deps, { role: opts.role ?? "user", email: opts.email ?? null });
    const { sessionId } = await createSession(deps, { userId: user.id, ...newMeta() });
    const { secret } = await enrolTotp(deps, { userId: user.id, sessionId, meta: newMeta() });
    await confirmTotp(deps, { userId: user.id, code: codeForStep(secret, stepAt(deps.clock.now().getTime())), meta: newMeta() });
    return { ...user, sessionId };
  }

  it("removes another account's factors, audits the admin, and mails the person", async () => {
    const admin = await seedUser(deps, { role: "admin" });
    const { sessionId } = await createSession(deps, { userId: admin.id, ...newMeta() });
    const target = await withTotp({ email: `lost-phone-${randomInt(1e9)}@example.com` });
    await resetSecondFactors(deps, { userId: target.id, actor: { actorId: admin.id, sessionId, ...newMeta() } });
    expect(await deps.db.totpFactor.count({ where: { userId: target.id } })).toBe(0);
    expect(await deps.db.recoveryCode.count({ where: { userId: target.id } })).toBe(0);
    const event = await deps.db.auditEvent.findFirstOrThrow({
      where: { type: "second_factors_reset_by_admin", userId: target.id },
      select: { actorId: true },
    });
    expect(event.actorId).toBe(admin.id);
    const mail = await deps.smtp.waitFor((m) => m.subject.includes("removed your Latchkey second factors"));
    expect(mail.text).toContain("http://localhost:3000/account");
  });

  it("needs the admin's fresh authentication, and refuses non-admins and their own account", async () => {
    const admin = await seedUser(deps, { role: "admin" });
    const { sessionId } = await createSession(deps, { userId: admin.id, ...newMeta() });
    const target = await withTotp();
    const actor = { actorId: admin.id, sessionId, ...newMeta() };
    await expect(resetSecondFactors(deps, { userId: admin.id, actor })).rejects.toMatchObject({ code: "forbidden" });
    const user = await seedUser(deps);
    const userSession = await createSession(deps, { userId: user.id, ...newMeta() });
    await expect(
      resetSecondFactors(deps, { userId: target.id, actor: { ...actor, actorId: user.id, sessionId: userSession.sessionId } }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    deps.clock.advance(5 * 60_000 + 1);
    await expect(resetSecondFactors(deps, { userId: target.id, actor })).rejects.toMatchObject({ code: "reauthentication_required" });
    expect(await deps.db.totpFactor.count({ where: { userId: target.id } })).toBe(1);
  });

  it("REQUIRE_ADMIN_MFA: an admin without a second factor is refused the admin API until enrolled", async () => {
    const strict = createDeps({ ...deps.config, REQUIRE_ADMIN_MFA: true }, deps.db, { clock: deps.clock, throttle: deps.throttle });
    expect(strict.config.REQUIRE_ADMIN_MFA).toBe(true);
    const bare = await seedUser(deps, { role: "admin" });
    const enrolled = await withTotp({ role: "admin" });
    const asRequest = async (userId: string) => {
      const user = await deps.db.user.findUniqueOrThrow({
        where: { id: userId },
        select: { id: true, username: true, email: true, emailVerifiedAt: true, role: true, createdAt: true },
      });
      const session = await createSession(deps, { userId, ...newMeta() });
      const { accessToken } = await issueTokens(session, toSessionUser(user));
      return { headers: new Headers({ authorization: `Bearer ${accessToken}` }), cookies: { get: () => undefined } };
    };
    await expect(requireAdminPrincipal(strict, await asRequest(bare.id))).rejects.toMatchObject({
      code: "second_factor_enrollment_required",
      status: 403,
    });
    await expect(requireAdminPrincipal(strict, await asRequest(enrolled.id))).resolves.toMatchObject({ user: { id: enrolled.id } });
    await expect(requireAdminPrincipal(deps, await asRequest(bare.id))).resolves.toMatchObject({ user: { id: bare.id } });
  });
});
