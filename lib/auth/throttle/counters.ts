// The throttle's counting primitives over one store (database or Redis). Use cases never call
// these directly: lib/auth/throttle.ts wraps them so that every begun login attempt is settled
// exactly once. The store contract tests (test/support/throttle-contract.ts) drive them one by one.
import { RateLimiterRes, type RateLimiterStoreAbstract } from "rate-limiter-flexible";
import type { Db } from "@/lib/db/client";
import { addressBucket, counterKey, normaliseAccount } from "./keys";
import { assertValidLimits, pairLockSeconds, type ThrottleLimits } from "./limits";
import { createLimiters } from "./store";

export type ThrottleRule = "pair" | "account" | "address";
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; rule: ThrottleRule };

export type ThrottleCounters = {
  /** Read-only; call before verifying the password. Throws when the store is unreachable. */
  checkLogin(input: { address: string; account: string; trustedDevice: boolean }): Promise<ThrottleVerdict>;
  /**
   * checkLogin, then counts the attempt as a failure *before* the password is checked, so a burst
   * of parallel attempts cannot all pass the read-only check: one login per (address, account) at
   * a time, and the account and address windows refuse attempts beyond their limits at once. An
   * allowed attempt must end with loginFailed/loginSucceeded/loginAborted with `{ begun: true }`.
   */
  beginLogin(input: { address: string; account: string; trustedDevice: boolean }): Promise<ThrottleVerdict>;
  /** Counts one failure; the verdict says whether the next attempt (untrusted device) would be refused. */
  loginFailed(input: { address: string; account: string }, opts?: { begun?: boolean }): Promise<ThrottleVerdict>;
  /** Ends the (address, account) run of failures; account and address windows keep counting. */
  loginSucceeded(input: { address: string; account: string }, opts?: { begun?: boolean }): Promise<void>;
  /** Gives back what beginLogin counted when the attempt ended without an answer (an error). */
  loginAborted(input: { address: string; account: string }): Promise<void>;
  /** Consumes one registration attempt of the address. Throws when the store is unreachable. */
  checkRegistration(input: { address: string }): Promise<ThrottleVerdict>;
  /** Consumes one mail of `purpose` for the account as typed. Throws when the store is unreachable. */
  checkMail(input: { purpose: string; account: string }): Promise<ThrottleVerdict>;
  /** Consumes one mail request or link submission of the address. */
  checkAddressRequest(input: { address: string }): Promise<ThrottleVerdict>;
  /** Releases the Redis connection, if any (tests, graceful shutdown). */
  close(): Promise<void>;
};

const ALLOWED: ThrottleVerdict = { allowed: true };

const waitSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** A stored value over the limiter's points that has not expired yet, as a wait in seconds. */
function refusedFor(limiter: RateLimiterStoreAbstract, res: RateLimiterRes | null, threshold: number): number {
  if (res === null || res.consumedPoints < threshold || res.msBeforeNext === 0) return 0;
  // -1 means "no expiry", which these limiters never write; treat it as the longest wait.
  return res.msBeforeNext < 0 ? waitSeconds(limiter.duration * 1000) : waitSeconds(res.msBeforeNext);
}

/** The longest wait wins: retrying before every refusing rule has cleared is pointless. */
function verdict(waits: [ThrottleRule, number][]): ThrottleVerdict {
  let worst: ThrottleVerdict = ALLOWED;
  for (const [rule, seconds] of waits) {
    if (seconds > 0 && (worst.allowed || seconds > worst.retryAfterSeconds)) {
      worst = { allowed: false, retryAfterSeconds: seconds, rule };
    }
  }
  return worst;
}

async function consumeOne(limiter: RateLimiterStoreAbstract, key: string, rule: ThrottleRule): Promise<ThrottleVerdict> {
  try {
    await limiter.consume(key);
    return ALLOWED;
  } catch (e) {
    // The library rejects with a RateLimiterRes when over the limit, with an Error when the store fails.
    if (!(e instanceof RateLimiterRes)) throw e;
    return { allowed: false, retryAfterSeconds: waitSeconds(e.msBeforeNext), rule };
  }
}

export function createThrottleCounters(opts: { db?: Db; redisUrl?: string; limits: ThrottleLimits; prefix?: string }): ThrottleCounters {
  const { limits } = opts;
  assertValidLimits(limits);
  const l = createLimiters(opts, limits, opts.prefix ?? "throttle");

  // Every operation starts here, so an unreachable store fails it before any work (fail closed).
  const keys = (input: { address: string; account?: string }) => {
    l.assertReachable();
    const address = addressBucket(input.address);
    const account = normaliseAccount(input.account ?? "");
    return {
      pair: counterKey("pair", address, account),
      account: counterKey("account", account),
      address: counterKey("address", address),
    };
  };

  async function checkLogin(input: { address: string; account: string; trustedDevice: boolean }): Promise<ThrottleVerdict> {
    const k = keys(input);
    const [lock, account, address] = await Promise.all([
      l.pairLock.get(k.pair),
      input.trustedDevice ? null : l.accountFailures.get(k.account),
      l.addressFailures.get(k.address),
    ]);
    return verdict([
      ["pair", refusedFor(l.pairLock, lock, 1)],
      ["account", refusedFor(l.accountFailures, account, limits.accountFailures)],
      ["address", refusedFor(l.addressFailures, address, limits.addressFailures)],
    ]);
  }

  /** Takes back what beginLogin counted in advance: the in-flight slot and the window counts. */
  async function release(k: ReturnType<typeof keys>, windows: boolean): Promise<void> {
    await Promise.all([
      l.pairInFlight.reward(k.pair),
      ...(windows ? [l.accountFailures.reward(k.account), l.addressFailures.reward(k.address)] : []),
    ]);
  }

  return {
    checkLogin,

    async beginLogin(input) {
      const locked = await checkLogin(input);
      if (!locked.allowed) return locked;
      const k = keys(input);
      const inFlight = await l.pairInFlight.penalty(k.pair);
      if (inFlight.consumedPoints > 1) {
        await l.pairInFlight.reward(k.pair);
        return { allowed: false, retryAfterSeconds: 1, rule: "pair" };
      }
      const [account, address] = await Promise.all([l.accountFailures.penalty(k.account), l.addressFailures.penalty(k.address)]);
      const refused = verdict([
        ["account", !input.trustedDevice && account.consumedPoints > limits.accountFailures ? waitSeconds(account.msBeforeNext) : 0],
        ["address", address.consumedPoints > limits.addressFailures ? waitSeconds(address.msBeforeNext) : 0],
      ]);
      if (!refused.allowed) await release(k, true);
      return refused;
    },

    async loginAborted(input) {
      await release(keys(input), true);
    },

    async loginFailed(input, opts = {}) {
      const k = keys(input);
      // penalty() counts without refusing: the refusal is checkLogin's job, before the password.
      // After beginLogin the account and address windows already hold this attempt.
      const [pair, account, address] = await Promise.all([
        l.pairFailures.penalty(k.pair),
        opts.begun ? l.accountFailures.get(k.account) : l.accountFailures.penalty(k.account),
        opts.begun ? l.addressFailures.get(k.address) : l.addressFailures.penalty(k.address),
      ]);
      const lockSeconds = pairLockSeconds(limits, pair.consumedPoints);
      // Concurrent failures race to write the lock and the last writer wins, so a burst may leave a
      // shorter lock than its longest step; never shorter than the base, and the count is exact.
      if (lockSeconds > 0) await l.pairLock.block(k.pair, lockSeconds);
      if (opts.begun) await release(k, false);
      return verdict([
        ["pair", lockSeconds],
        ["account", refusedFor(l.accountFailures, account, limits.accountFailures)],
        ["address", refusedFor(l.addressFailures, address, limits.addressFailures)],
      ]);
    },

    async loginSucceeded(input, opts = {}) {
      const k = keys(input);
      await Promise.all([l.pairFailures.delete(k.pair), l.pairLock.delete(k.pair)]);
      // A success is not a failure: give back what beginLogin counted in advance.
      if (opts.begun) await release(k, true);
    },

    // async, so an unreachable store rejects like every other operation instead of throwing.
    checkRegistration: async (input) => consumeOne(l.addressRegistrations, keys(input).address, "address"),
    checkAddressRequest: async (input) => {
      l.assertReachable();
      return consumeOne(l.addressRequests, counterKey("requests", addressBucket(input.address)), "address");
    },
    checkMail: async (input) => {
      l.assertReachable();
      return consumeOne(l.accountMails, counterKey("mail", input.purpose, normaliseAccount(input.account)), "account");
    },

    close: () => l.close(),
  };
}
