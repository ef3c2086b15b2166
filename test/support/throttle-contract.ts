// The behaviour every throttle store must show, run by lib/auth/throttle.{sqlite,postgres,redis}.test.ts
// against real stores. Test-only: nothing in the app imports it.
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import {
  createThrottleCounters as createThrottle,
  type ThrottleCounters as Throttle,
  type ThrottleVerdict,
} from "@/lib/auth/throttle/counters";
import type { ThrottleLimits } from "@/lib/auth/throttle/limits";
import { createDb } from "@/lib/db/client";

export type ThrottleFixture = {
  /** A throttle on the store under test with a prefix of its own. */
  make(limits: ThrottleLimits): Throttle;
  /** Every counter key the store holds for throttles made by this fixture. */
  storedKeys(): Promise<string[]>;
  /** A throttle whose store is unreachable. */
  dead(): Throttle;
};

const roomy: ThrottleLimits = {
  pairFailures: 1_000,
  pairBaseSeconds: 1,
  pairMaxSeconds: 4,
  accountFailures: 1_000,
  accountWindowSeconds: 60,
  addressFailures: 1_000,
  addressRegistrations: 1_000,
  addressWindowSeconds: 60,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
const ip = () => `198.51.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;
const refused = (rule: string, retryAfterSeconds: number): ThrottleVerdict =>
  ({ allowed: false, rule, retryAfterSeconds }) as ThrottleVerdict;
const allowed: ThrottleVerdict = { allowed: true };

/** The brief's dead store: a Prisma client pointed at a PostgreSQL port nothing listens on. */
export function deadPostgresThrottle(): Throttle {
  const db = createDb("postgresql://postgres@127.0.0.1:1/none");
  const t = createThrottle({ db, limits: roomy });
  return { ...t, close: () => db.$disconnect() };
}

export function throttleContract(fixture: () => ThrottleFixture, opts: { knownAccount?: () => Promise<string> } = {}) {
  it("rule A: locks the (address, account) pair, doubles the lock up to the cap, and a success resets it", async () => {
    const t = fixture().make({ ...roomy, pairFailures: 3, pairBaseSeconds: 1, pairMaxSeconds: 4 });
    const pair = { address: ip(), account: unique("alice") };
    const check = (trustedDevice = false) => t.checkLogin({ ...pair, trustedDevice });

    expect(await t.loginFailed(pair)).toEqual(allowed);
    // Typed differently, counted together: the key is the normalised name.
    expect(await t.loginFailed({ ...pair, account: `  ${pair.account.toUpperCase()}` })).toEqual(allowed);
    expect(await check()).toEqual(allowed);
    expect(await t.loginFailed(pair)).toEqual(refused("pair", 1));
    expect(await check()).toEqual(refused("pair", 1));
    // A device cookie does not lift rule A: it is the owner's address that is locked.
    expect(await check(true)).toEqual(refused("pair", 1));
    // Only this pair.
    expect(await t.checkLogin({ ...pair, account: unique("bob"), trustedDevice: false })).toEqual(allowed);
    expect(await t.checkLogin({ ...pair, address: ip(), trustedDevice: false })).toEqual(allowed);

    await sleep(1_100);
    expect(await check()).toEqual(allowed);
    expect(await t.loginFailed(pair)).toEqual(refused("pair", 2));
    expect(await check()).toEqual(refused("pair", 2));
    expect(await t.loginFailed(pair)).toEqual(refused("pair", 4));
    expect(await t.loginFailed(pair)).toEqual(refused("pair", 4));

    await t.loginSucceeded(pair);
    expect(await check()).toEqual(allowed);
    expect(await t.loginFailed(pair)).toEqual(allowed);
    expect(await t.loginFailed(pair)).toEqual(allowed);
    expect(await t.loginFailed(pair)).toEqual(refused("pair", 1));
  });

  it("rule B: failures from many addresses refuse new devices, never a device that signed in before", async () => {
    const t = fixture().make({ ...roomy, accountFailures: 5, accountWindowSeconds: 60 });
    const account = unique("carol");
    for (let i = 0; i < 4; i++) expect(await t.loginFailed({ address: ip(), account })).toEqual(allowed);
    expect(await t.checkLogin({ address: ip(), account, trustedDevice: false })).toEqual(allowed);

    const fifth = await t.loginFailed({ address: ip(), account });
    expect(fifth).toMatchObject({ allowed: false, rule: "account" });
    const fresh = await t.checkLogin({ address: ip(), account, trustedDevice: false });
    expect(fresh).toMatchObject({ allowed: false, rule: "account" });
    expect(fresh.allowed || fresh.retryAfterSeconds).toBeGreaterThan(55);
    expect(fresh.allowed || fresh.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await t.checkLogin({ address: ip(), account, trustedDevice: true })).toEqual(allowed);
    // Other accounts are untouched; a success does not clear the account window.
    expect(await t.checkLogin({ address: ip(), account: unique("dave"), trustedDevice: false })).toEqual(allowed);
    const owner = { address: ip(), account };
    await t.loginSucceeded(owner);
    expect(await t.checkLogin({ ...owner, trustedDevice: false })).toMatchObject({ allowed: false, rule: "account" });
  });

  it("rule B: the account window ends", async () => {
    const t = fixture().make({ ...roomy, accountFailures: 2, accountWindowSeconds: 1 });
    const account = unique("erin");
    await t.loginFailed({ address: ip(), account });
    expect(await t.loginFailed({ address: ip(), account })).toEqual(refused("account", 1));
    await sleep(1_100);
    expect(await t.checkLogin({ address: ip(), account, trustedDevice: false })).toEqual(allowed);
  });

  it("rule C: failed logins from one address, whatever the account, refuse that address", async () => {
    const t = fixture().make({ ...roomy, addressFailures: 4, addressWindowSeconds: 60 });
    const address = ip();
    for (let i = 0; i < 3; i++) expect(await t.loginFailed({ address, account: unique("x") })).toEqual(allowed);
    expect(await t.loginFailed({ address, account: unique("x") })).toMatchObject({ allowed: false, rule: "address" });
    const verdict = await t.checkLogin({ address, account: unique("frank"), trustedDevice: true });
    expect(verdict).toMatchObject({ allowed: false, rule: "address" });
    expect(verdict.allowed || verdict.retryAfterSeconds).toBeGreaterThan(55);
    expect(await t.checkLogin({ address: ip(), account: unique("frank"), trustedDevice: false })).toEqual(allowed);
    // Separate counters: registrations from the address are still allowed.
    expect(await t.checkRegistration({ address })).toEqual(allowed);
  });

  it("rule C: registrations from one address", async () => {
    const t = fixture().make({ ...roomy, addressRegistrations: 3, addressWindowSeconds: 60 });
    const address = ip();
    for (let i = 0; i < 3; i++) expect(await t.checkRegistration({ address })).toEqual(allowed);
    const fourth = await t.checkRegistration({ address });
    expect(fourth).toMatchObject({ allowed: false, rule: "address" });
    expect(fourth.allowed || fourth.retryAfterSeconds).toBeGreaterThan(55);
    expect(await t.checkRegistration({ address: ip() })).toEqual(allowed);
    expect(await t.checkLogin({ address, account: unique("gina"), trustedDevice: false })).toEqual(allowed);
  });

  it("rule C: one IPv6 /64 is one address", async () => {
    const t = fixture().make({ ...roomy, addressRegistrations: 2 });
    const net = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:1`;
    expect(await t.checkRegistration({ address: `${net}::a` })).toEqual(allowed);
    expect(await t.checkRegistration({ address: `${net}:0:0:0:b` })).toEqual(allowed);
    expect(await t.checkRegistration({ address: `${net}::c` })).toMatchObject({ allowed: false, rule: "address" });
  });

  it("throttles an unknown account name exactly like a real one", async () => {
    const t = fixture().make({ ...roomy, pairFailures: 2, accountFailures: 3 });
    const known = opts.knownAccount ? await opts.knownAccount() : unique("known");
    const run = async (account: string) => {
      const seen: unknown[] = [];
      const address = ip();
      for (let i = 0; i < 4; i++) {
        seen.push(await t.checkLogin({ address, account, trustedDevice: false }));
        seen.push(await t.loginFailed({ address, account }));
        seen.push(await t.checkLogin({ address: ip(), account, trustedDevice: false }));
      }
      return seen.map((v) => ({ ...(v as object), retryAfterSeconds: undefined }));
    };
    const real = await run(known);
    expect(real).toContainEqual({ allowed: false, rule: "account", retryAfterSeconds: undefined });
    expect(await run(unique("nobody"))).toEqual(real);
  });

  it("stores only hashed keys", async () => {
    const f = fixture();
    const t = f.make(roomy);
    const account = unique("hannah");
    await t.loginFailed({ address: "203.0.113.9", account });
    await t.checkRegistration({ address: "203.0.113.9" });
    const keys = await f.storedKeys();
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const key of keys) {
      expect(key).not.toContain(account);
      expect(key).not.toContain("203.0.113");
    }
  });

  it("counts concurrent failures and registrations without losing any", async () => {
    const f = fixture();
    // Each limit equals the burst, so a single lost update leaves its rule unbroken.
    const t = f.make({ ...roomy, pairFailures: 20, accountFailures: 20 });
    const pair = { address: ip(), account: unique("ivan") };
    await Promise.all(Array.from({ length: 20 }, () => t.loginFailed(pair)));
    // Trusted: only rules A and C apply, and C is roomy here.
    expect(await t.checkLogin({ ...pair, trustedDevice: true })).toEqual(refused("pair", 1));
    expect(await t.checkLogin({ address: ip(), account: pair.account, trustedDevice: false })).toMatchObject({
      allowed: false,
      rule: "account",
    });

    const u = f.make({ ...roomy, addressFailures: 20, addressRegistrations: 10 });
    const address = ip();
    await Promise.all(Array.from({ length: 20 }, (_, i) => u.loginFailed({ address, account: `${unique("x")}-${i}` })));
    expect(await u.checkLogin({ address, account: unique("y"), trustedDevice: true })).toMatchObject({
      allowed: false,
      rule: "address",
    });
    const registrations = await Promise.all(Array.from({ length: 20 }, () => u.checkRegistration({ address })));
    expect(registrations.filter((v) => v.allowed)).toHaveLength(10);
  });

  it("a burst of parallel attempts cannot slip past the limits before any of them fails", async () => {
    const t = fixture().make({ ...roomy, pairFailures: 5, accountFailures: 8, addressFailures: 1_000 });
    const pair = { address: ip(), account: unique("burst"), trustedDevice: false };
    // One login at a time per (address, account): the other 9 are refused at once.
    const same = await Promise.all(Array.from({ length: 10 }, () => t.beginLogin(pair)));
    expect(same.filter((v) => v.allowed)).toHaveLength(1);
    expect(same.filter((v) => !v.allowed).every((v) => !v.allowed && v.rule === "pair")).toBe(true);
    await t.loginFailed(pair, { begun: true });
    // From many addresses: the account window is counted before the passwords are checked.
    const spread = await Promise.all(Array.from({ length: 20 }, () => t.beginLogin({ ...pair, address: ip() })));
    expect(spread.filter((v) => v.allowed)).toHaveLength(7);
    // A device that signed in before is not held back by the account window.
    const trusted = { ...pair, address: ip(), trustedDevice: true };
    expect(await t.beginLogin(trusted)).toEqual(allowed);
    await t.loginSucceeded(trusted, { begun: true });
    // Successes and aborted attempts give their advance counts back.
    const other = { address: ip(), account: unique("fine"), trustedDevice: false };
    for (let i = 0; i < 12; i++) {
      expect(await t.beginLogin(other)).toEqual(allowed);
      await (i % 2 ? t.loginSucceeded(other, { begun: true }) : t.loginAborted(other));
    }
    expect(await t.checkLogin(other)).toEqual(allowed);
  });

  it("fails closed when the store is unreachable", async () => {
    const t = fixture().dead();
    const started = Date.now();
    try {
      await expect(t.checkLogin({ address: ip(), account: "x", trustedDevice: false })).rejects.toThrow();
      await expect(t.checkLogin({ address: ip(), account: "x", trustedDevice: true })).rejects.toThrow();
      await expect(t.checkRegistration({ address: ip() })).rejects.toThrow();
      await expect(t.loginFailed({ address: ip(), account: "x" })).rejects.toThrow();
      // A login must turn into a quick 503, not hang on reconnect back-off.
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await t.close();
    }
  });
}
