import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deviceKnows } from "@/lib/auth/device";
import type { Hasher } from "@/lib/auth/password";
import { sha256 } from "@/lib/auth/secrets";
import { loadConfig } from "@/lib/config";
import { createDeps, type Deps } from "@/lib/deps";
import { verifyAccessToken } from "@/lib/edge/tokens";
import { AppError } from "@/lib/errors";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { createTestDeps, seedUser, type TestDeps } from "@/test/support/deps";
import { login } from "./login";

// Every test signs in from an address of its own, so the per-address window never mixes tests.
const newMeta = () => ({ address: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`, userAgent: "vitest" });

async function auditOf(deps: Deps, where: { subject?: string; userId?: string }) {
  return deps.db.auditEvent.findMany({
    where,
    select: { type: true, userId: true, actorId: true, subject: true, address: true, detail: true },
  });
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

const sessionCount = (deps: Deps, userId: string) => deps.db.session.count({ where: { userId } });

beforeAll(async () => {
  vi.stubEnv("AUTH_SIGNING_KEYS", JSON.stringify(await generateKeySet()));
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe("login", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("creates a session, records login_success and returns tokens for it", async () => {
    const user = await seedUser(deps);
    const meta = newMeta();
    const result = await login(deps, { identifier: user.username, password: user.password, meta });

    expect(result.user).toMatchObject({ id: user.id, username: user.username, role: "user" });
    const claims = await verifyAccessToken(result.accessToken);
    expect(claims).toMatchObject({ sub: user.id, sid: result.sessionId, role: "user" });
    expect(result.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const session = await deps.db.session.findUniqueOrThrow({ where: { id: result.sessionId } });
    expect(session).toMatchObject({ userId: user.id, address: meta.address, userAgent: "vitest", revokedAt: null });
    expect(session.createdAt).toEqual(deps.clock.now());
    const stored = await deps.db.refreshToken.findMany({ where: { sessionId: result.sessionId }, select: { tokenHash: true } });
    expect(stored).toEqual([{ tokenHash: sha256(result.refreshToken) }]);

    expect(await auditOf(deps, { userId: user.id })).toEqual([
      {
        type: "login_success",
        userId: user.id,
        actorId: user.id,
        subject: user.username,
        address: meta.address,
        detail: JSON.stringify({ sessionId: result.sessionId, method: "password" }),
      },
    ]);
    // The known-device cookie now vouches for this browser on this account only.
    expect(await deviceKnows(result.device, user.id)).toBe(true);
    expect(await deviceKnows(result.device, randomUUID())).toBe(false);
  });

  it("refuses a wrong password with invalid_credentials and records login_failure", async () => {
    const user = await seedUser(deps);
    const meta = newMeta();
    await expect(login(deps, { identifier: user.username, password: `${user.password}!`, meta })).rejects.toMatchObject({
      code: "invalid_credentials",
      status: 401,
    });
    expect(await sessionCount(deps, user.id)).toBe(0);
    const events = await auditOf(deps, { subject: user.username });
    expect(events).toEqual([expect.objectContaining({ type: "login_failure", userId: user.id, address: meta.address })]);
  });

  it("answers an unknown name exactly like a wrong password", async () => {
    const user = await seedUser(deps);
    const wrong = await caught(login(deps, { identifier: user.username, password: "not the password at all", meta: newMeta() }));
    const name = `ghost-${randomUUID().slice(0, 8)}`;
    const unknown = await caught(login(deps, { identifier: name, password: "not the password at all", meta: newMeta() }));
    expect(unknown.code).toBe("invalid_credentials");
    expect(unknown.toBody()).toEqual(wrong.toBody());
    expect(await auditOf(deps, { subject: name })).toEqual([expect.objectContaining({ type: "login_failure", userId: null })]);
  });

  it("says account_disabled only after the correct password of a disabled account", async () => {
    const user = await seedUser(deps, { disabled: true });
    await expect(login(deps, { identifier: user.username, password: "a wrong password here", meta: newMeta() })).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    await expect(login(deps, { identifier: user.username, password: user.password, meta: newMeta() })).rejects.toMatchObject({
      code: "account_disabled",
      status: 403,
    });
    expect(await sessionCount(deps, user.id)).toBe(0);
    expect((await auditOf(deps, { userId: user.id })).map((e) => e.type).sort()).toEqual(["login_disabled", "login_failure"]);
  });

  it("signs in by email address", async () => {
    const email = `${randomUUID().slice(0, 8)}@example.com`;
    const user = await seedUser(deps, { email });
    const result = await login(deps, { identifier: email, password: user.password, meta: newMeta() });
    expect(result.user).toMatchObject({ id: user.id, email });
    expect(await deps.db.session.findUnique({ where: { id: result.sessionId }, select: { userId: true } })).toEqual({ userId: user.id });
  });

  it("keeps the stored hash when its cost is already the configured one", async () => {
    const user = await seedUser(deps);
    const before = await deps.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    await login(deps, { identifier: user.username, password: user.password, meta: newMeta() });
    expect(await deps.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } })).toEqual(before);
  });

  it("rehashes the password at the new cost after BCRYPT_COST was raised", async () => {
    const user = await seedUser(deps);
    const costOf = async () => {
      const { passwordHash } = await deps.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
      return { passwordHash, cost: /^\$lk1\$\$2[aby]\$(\d\d)\$/.exec(passwordHash)?.[1] };
    };
    const before = await costOf();
    expect(before.cost).toBe("04");

    const cfg = loadConfig({ NODE_ENV: "test", BCRYPT_COST: "5", APP_URL: deps.config.APP_URL, DATABASE_URL: deps.config.DATABASE_URL });
    const raised = createDeps(cfg, deps.db, { clock: deps.clock, throttle: deps.throttle });
    await login(raised, { identifier: user.username, password: user.password, meta: newMeta() });

    const after = await costOf();
    expect(after.cost).toBe("05");
    expect(after.passwordHash).not.toBe(before.passwordHash);
    expect(await raised.hasher.verify(user.password, after.passwordHash)).toBe(true);
    expect(raised.hasher.needsRehash(after.passwordHash)).toBe(false);
  });
});

describe("login throttling (THROTTLE_PAIR_FAILURES=3)", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps({ env: { THROTTLE_PAIR_FAILURES: "3" } });
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  const wrong = (user: { username: string }, meta: ReturnType<typeof newMeta>) =>
    login(deps, { identifier: user.username, password: "definitely the wrong one", meta });

  it("locks the pair after the third failure: login_lockout, then 429 with Retry-After and login_throttled", async () => {
    const user = await seedUser(deps);
    const meta = newMeta();
    for (let i = 0; i < 3; i++) await expect(wrong(user, meta)).rejects.toMatchObject({ code: "invalid_credentials" });

    const afterThird = await auditOf(deps, { subject: user.username });
    expect(afterThird.map((e) => e.type).sort()).toEqual(["login_failure", "login_failure", "login_failure", "login_lockout"]);
    const lockout = afterThird.find((e) => e.type === "login_lockout");
    expect(JSON.parse(lockout?.detail ?? "null")).toEqual({ rule: "pair", retryAfterSeconds: 30 });

    // Even the right password is refused now, before it is checked.
    const refused = await caught(login(deps, { identifier: user.username, password: user.password, meta }));
    expect(refused).toMatchObject({ code: "too_many_attempts", status: 429 });
    const retryAfter = Number(refused.headers?.["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(29);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(await sessionCount(deps, user.id)).toBe(0);

    const events = await auditOf(deps, { subject: user.username });
    expect(events.map((e) => e.type).filter((t) => t === "login_throttled")).toHaveLength(1);
    expect(JSON.parse(events.find((e) => e.type === "login_throttled")?.detail ?? "null")).toEqual({ rule: "pair" });
    // The lock is per (address, account): the same account from another address still signs in.
    await expect(login(deps, { identifier: user.username, password: user.password, meta: newMeta() })).resolves.toMatchObject({
      user: { id: user.id },
    });
  });

  it("a success resets the pair's run of failures", async () => {
    const user = await seedUser(deps);
    const meta = newMeta();
    for (let i = 0; i < 2; i++) await expect(wrong(user, meta)).rejects.toMatchObject({ code: "invalid_credentials" });
    await login(deps, { identifier: user.username, password: user.password, meta });
    for (let i = 0; i < 2; i++) await expect(wrong(user, meta)).rejects.toMatchObject({ code: "invalid_credentials" });
    // Four failures in all, but never three in a row: no lock.
    await expect(login(deps, { identifier: user.username, password: user.password, meta })).resolves.toMatchObject({
      user: { id: user.id },
    });
    expect((await auditOf(deps, { subject: user.username })).map((e) => e.type)).not.toContain("login_lockout");
  });

  it("does not count a disabled account's correct password as a failure", async () => {
    const user = await seedUser(deps, { disabled: true });
    const meta = newMeta();
    for (let i = 0; i < 5; i++) {
      await expect(login(deps, { identifier: user.username, password: user.password, meta })).rejects.toMatchObject({
        code: "account_disabled",
      });
    }
  });

  it("lets one login per (address, account) run at a time", async () => {
    const user = await seedUser(deps);
    const meta = newMeta();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const slow: Deps = {
      ...deps,
      hasher: {
        ...deps.hasher,
        verify: async (pw, stored) => {
          entered();
          await gate;
          return deps.hasher.verify(pw, stored);
        },
      },
    };
    const first = login(slow, { identifier: user.username, password: user.password, meta });
    await inside;
    const second = await caught(login(deps, { identifier: user.username, password: user.password, meta }));
    expect(second).toMatchObject({ code: "too_many_attempts", headers: { "retry-after": "1" } });
    release();
    await expect(first).resolves.toMatchObject({ user: { id: user.id } });
    // Settled: the slot is free again.
    await expect(login(deps, { identifier: user.username, password: user.password, meta })).resolves.toMatchObject({
      user: { id: user.id },
    });
  });
});

describe("login when password hashing throws", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    // Tight windows: anything the wrapper failed to give back would refuse the next attempt.
    deps = await createTestDeps({ env: { THROTTLE_PAIR_FAILURES: "2", THROTTLE_ACCOUNT_FAILURES: "2", THROTTLE_ADDRESS_FAILURES: "2" } });
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("gives the in-flight slot and the counted attempt back, so the next attempt is judged normally", async () => {
    const user = await seedUser(deps);
    const meta = newMeta();
    const failing: Hasher = { ...deps.hasher, verify: () => Promise.reject(new Error("hash pool down")) };
    const broken: Deps = { ...deps, hasher: failing };

    for (let i = 0; i < 3; i++) {
      await expect(login(broken, { identifier: user.username, password: user.password, meta })).rejects.toThrow("hash pool down");
    }
    // Not refused by the pair's in-flight slot, nor by the account or address windows.
    const result = await login(deps, { identifier: user.username, password: user.password, meta });
    expect(result.user.id).toBe(user.id);
    expect(await sessionCount(deps, user.id)).toBe(1);
    // An error is neither a failure nor a throttled attempt.
    expect((await auditOf(deps, { subject: user.username })).map((e) => e.type)).toEqual(["login_success"]);
  });

  it("gives the slot back when the dummy comparison for an unknown name throws", async () => {
    const name = `ghost-${randomUUID().slice(0, 8)}`;
    const meta = newMeta();
    const broken: Deps = { ...deps, hasher: { ...deps.hasher, verifyDummy: () => Promise.reject(new Error("hash pool down")) } };
    for (let i = 0; i < 3; i++) {
      await expect(login(broken, { identifier: name, password: "whatever it may be", meta })).rejects.toThrow("hash pool down");
    }
    await expect(login(deps, { identifier: name, password: "whatever it may be", meta })).rejects.toMatchObject({
      code: "invalid_credentials",
    });
  });
});
