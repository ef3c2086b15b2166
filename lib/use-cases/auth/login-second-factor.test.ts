import { randomInt, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { markAuthenticated } from "@/lib/auth/freshness";
import { createSession } from "@/lib/auth/session-store";
import { codeForStep, stepAt } from "@/lib/auth/totp";
import { generateEncryptionKeys } from "@/lib/crypto/encryption";
import { createDeps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { createTestDeps, seedUser, type TestDeps } from "@/test/support/deps";
import { confirmTotp } from "../account/confirm-totp";
import { disableTotp } from "../account/disable-totp";
import { enrolTotp } from "../account/enrol-totp";
import { regenerateRecoveryCodes } from "../account/regenerate-recovery-codes";
import { login } from "./login";
import { loginSecondFactor } from "./login-second-factor";
import { reauthenticate } from "./reauthenticate";

const newMeta = () => ({ address: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`, userAgent: "vitest" });

async function challengeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof AppError) || e.code !== "second_factor_required") throw new Error(`expected second_factor_required, got ${String(e)}`);
  expect(e.status).toBe(401);
  expect(e.extra).toMatchObject({ methods: ["totp", "recovery_code"] });
  return String(e.extra?.challenge);
}

describe("TOTP second factor", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    vi.stubEnv("AUTH_SIGNING_KEYS", JSON.stringify(await generateKeySet()));
    deps = await createTestDeps({ env: { THROTTLE_PAIR_FAILURES: "50" } });
  });
  afterAll(async () => {
    await deps.cleanup();
    vi.unstubAllEnvs();
  });

  /** A signed-in user with TOTP on; returns the secret and the recovery codes. */
  async function enrolled() {
    const user = await seedUser(deps, { username: `t${randomUUID().slice(0, 8)}` });
    const { sessionId } = await createSession(deps, { userId: user.id, ...newMeta() });
    const { secret, otpauthUri } = await enrolTotp(deps, { userId: user.id, sessionId, meta: newMeta() });
    expect(otpauthUri).toBe(`otpauth://totp/Latchkey:${user.username}?secret=${secret}&issuer=Latchkey`);
    const now = () => deps.clock.now().getTime();
    const { recoveryCodes } = await confirmTotp(deps, { userId: user.id, code: codeForStep(secret, stepAt(now())), meta: newMeta() });
    deps.clock.advance(30_000);
    return { ...user, sessionId, secret, recoveryCodes, code: () => codeForStep(secret, stepAt(now())) };
  }

  it("keeps the secret and the recovery codes out of the database in plain text", async () => {
    const user = await enrolled();
    expect(user.recoveryCodes).toHaveLength(10);
    expect(new Set(user.recoveryCodes).size).toBe(10);
    const file = readFileSync(deps.config.DATABASE_URL.slice("file:".length));
    const wal = (() => {
      try {
        return readFileSync(`${deps.config.DATABASE_URL.slice("file:".length)}-wal`);
      } catch {
        return Buffer.alloc(0);
      }
    })();
    for (const needle of [user.secret, ...user.recoveryCodes]) {
      expect(file.includes(needle)).toBe(false);
      expect(wal.includes(needle)).toBe(false);
    }
    const row = await deps.db.totpFactor.findUniqueOrThrow({ where: { userId: user.id }, select: { secret: true } });
    expect(row.secret).toMatch(/^v1\.test-/);
  });

  it("asks for a second step after the right password, with no session until it passes", async () => {
    const user = await enrolled();
    const before = await deps.db.session.count({ where: { userId: user.id } });
    const challenge = await challengeOf(login(deps, { identifier: user.username, password: user.password, meta: newMeta() }));
    expect(await deps.db.session.count({ where: { userId: user.id } })).toBe(before);
    await expect(login(deps, { identifier: user.username, password: "wrong wrong wrong wrong", meta: newMeta() })).rejects.toMatchObject({
      code: "invalid_credentials",
    });

    const signedIn = await loginSecondFactor(deps, { challenge, answer: { code: user.code() }, meta: newMeta() });
    expect(signedIn.user.id).toBe(user.id);
    expect(signedIn.factors).toEqual({ totp: true, passkeys: 0 });
    expect(await deps.db.session.count({ where: { userId: user.id } })).toBe(before + 1);
    // Single use: the challenge is spent.
    deps.clock.advance(30_000);
    await expect(loginSecondFactor(deps, { challenge, answer: { code: user.code() }, meta: newMeta() })).rejects.toMatchObject({
      code: "invalid_code",
    });
  });

  it("accepts each code once: a replay in its window is refused", async () => {
    const user = await enrolled();
    const code = user.code();
    const first = await challengeOf(login(deps, { identifier: user.username, password: user.password, meta: newMeta() }));
    await loginSecondFactor(deps, { challenge: first, answer: { code }, meta: newMeta() });
    const second = await challengeOf(login(deps, { identifier: user.username, password: user.password, meta: newMeta() }));
    await expect(loginSecondFactor(deps, { challenge: second, answer: { code }, meta: newMeta() })).rejects.toMatchObject({
      code: "invalid_code",
    });
  });

  it("kills a challenge after five wrong codes, and after five minutes", async () => {
    const user = await enrolled();
    const challenge = await challengeOf(login(deps, { identifier: user.username, password: user.password, meta: newMeta() }));
    for (let i = 0; i < 5; i++) {
      await expect(loginSecondFactor(deps, { challenge, answer: { code: "000000" }, meta: newMeta() })).rejects.toMatchObject({
        code: "invalid_code",
      });
    }
    await expect(loginSecondFactor(deps, { challenge, answer: { code: user.code() }, meta: newMeta() })).rejects.toMatchObject({
      code: "invalid_code",
    });
    expect(await deps.db.auditEvent.count({ where: { userId: user.id, type: "second_factor_failed" } })).toBe(5);

    const late = await challengeOf(login(deps, { identifier: user.username, password: user.password, meta: newMeta() }));
    deps.clock.advance(5 * 60_000 + 1);
    await expect(loginSecondFactor(deps, { challenge: late, answer: { code: user.code() }, meta: newMeta() })).rejects.toMatchObject({
      code: "invalid_code",
    });
  });

  it("spends a recovery code once, even when two requests race with it, and says when few are left", async () => {
    const user = await enrolled();
    const [code] = user.recoveryCodes as [string];
    const challenges = [
      await challengeOf(login(deps, { identifier: user.username, password: user.password, meta: newMeta() })),
      await challengeOf(login(deps, { identifier: user.username, password: user.password, meta: newMeta() })),
    ];
    const results = await Promise.allSettled(
      challenges.map((challenge) => loginSecondFactor(deps, { challenge, answer: { recoveryCode: code.toUpperCase() }, meta: newMeta() })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await deps.db.recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(9);
    for (const spare of user.recoveryCodes.slice(1, 7)) {
      const challenge = await challengeOf(login(deps, { identifier: user.username, password: user.password, meta: newMeta() }));
      const result = await loginSecondFactor(deps, { challenge, answer: { recoveryCode: spare.replace("-", " ") }, meta: newMeta() });
      const left = await deps.db.recoveryCode.count({ where: { userId: user.id, usedAt: null } });
      expect(result.recoveryCodesLeft).toBe(left <= 3 ? left : undefined);
    }
  });

  it("makes old recovery codes void when new ones are made, and removes everything when turned off", async () => {
    const user = await enrolled();
    const fresh = await regenerateRecoveryCodes(deps, { userId: user.id, sessionId: user.sessionId, meta: newMeta() }).catch(async (e) => {
      // The sign-in may be older than REAUTH_TTL by now: confirm it's the person first.
      expect(e).toMatchObject({ code: "reauthentication_required" });
      await markAuthenticated(deps, user.sessionId);
      return regenerateRecoveryCodes(deps, { userId: user.id, sessionId: user.sessionId, meta: newMeta() });
    });
    const challenge = await challengeOf(login(deps, { identifier: user.username, password: user.password, meta: newMeta() }));
    await expect(
      loginSecondFactor(deps, { challenge, answer: { recoveryCode: user.recoveryCodes[0] as string }, meta: newMeta() }),
    ).rejects.toMatchObject({
      code: "invalid_code",
    });
    await loginSecondFactor(deps, { challenge, answer: { recoveryCode: fresh.recoveryCodes[0] as string }, meta: newMeta() });

    await markAuthenticated(deps, user.sessionId);
    await disableTotp(deps, { userId: user.id, sessionId: user.sessionId, meta: newMeta() });
    expect(await deps.db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    const plain = await login(deps, { identifier: user.username, password: user.password, meta: newMeta() });
    expect(plain.factors).toEqual({ totp: false, passkeys: 0 });
  });

  it("needs a fresh sign-in to change factors, and the code as well as the password to renew it", async () => {
    const user = await enrolled();
    deps.clock.advance(5 * 60_000 + 1);
    const base = { userId: user.id, sessionId: user.sessionId, meta: newMeta() };
    await expect(disableTotp(deps, base)).rejects.toMatchObject({ code: "reauthentication_required", status: 403 });
    await expect(reauthenticate(deps, { ...base, password: user.password })).rejects.toMatchObject({
      code: "invalid_code",
      fields: { code: expect.any(Array) },
    });
    await expect(reauthenticate(deps, { ...base, password: user.password, code: "123456" })).rejects.toMatchObject({
      code: "invalid_code",
    });
    await reauthenticate(deps, { ...base, password: user.password, code: user.code() });
    await expect(disableTotp(deps, base)).resolves.toBeUndefined();
  });

  it("refuses a wrong confirmation code without turning TOTP on", async () => {
    const user = await seedUser(deps);
    const { sessionId } = await createSession(deps, { userId: user.id, ...newMeta() });
    await enrolTotp(deps, { userId: user.id, sessionId, meta: newMeta() });
    await expect(confirmTotp(deps, { userId: user.id, code: "000000", meta: newMeta() })).rejects.toMatchObject({
      code: "invalid_code",
      status: 422,
    });
    const plain = await login(deps, { identifier: user.username, password: user.password, meta: newMeta() });
    expect(plain.factors.totp).toBe(false);
  });
});

describe("TOTP across a key rotation", () => {
  it("keeps working without re-enrolment and moves the secret to the new key on use", async () => {
    vi.stubEnv("AUTH_SIGNING_KEYS", JSON.stringify(await generateKeySet()));
    const oldKeys = generateEncryptionKeys("old-");
    const before = await createTestDeps({ env: { AUTH_ENCRYPTION_KEYS: JSON.stringify(oldKeys) } });
    try {
      const user = await seedUser(before, { username: `k${randomUUID().slice(0, 8)}` });
      const { sessionId } = await createSession(before, { userId: user.id, ...newMeta() });
      const { secret } = await enrolTotp(before, { userId: user.id, sessionId, meta: newMeta() });
      await confirmTotp(before, { userId: user.id, code: codeForStep(secret, stepAt(before.clock.now().getTime())), meta: newMeta() });

      const newKeys = generateEncryptionKeys("new-");
      const rotated = { ...before.config, AUTH_ENCRYPTION_KEYS: JSON.stringify({ keys: [...newKeys.keys, ...oldKeys.keys] }) };
      const after = createDeps(rotated, before.db, { clock: before.clock, throttle: before.throttle });
      before.clock.advance(30_000);
      const challenge = await challengeOf(login(after, { identifier: user.username, password: user.password, meta: newMeta() }));
      await loginSecondFactor(after, {
        challenge,
        answer: { code: codeForStep(secret, stepAt(before.clock.now().getTime())) },
        meta: newMeta(),
      });
      const row = await before.db.totpFactor.findUniqueOrThrow({ where: { userId: user.id }, select: { secret: true } });
      expect(row.secret.split(".")[1]).toBe(newKeys.keys[0]?.kid);
    } finally {
      await before.cleanup();
      vi.unstubAllEnvs();
    }
  });
});
