// The throttle as use cases see it (SPEC "Throttling", docs/decisions/0004-throttling.md). A login
// attempt runs inside `loginAttempt`, which counts it before the password is checked and settles
// it exactly once however the attempt ends (failure, success, neutral, or a thrown error), so no
// early return in a use case can leak an in-flight slot or a pre-counted failure.
import type { Config } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { createThrottleCounters, type ThrottleCounters, type ThrottleRule, type ThrottleVerdict } from "./throttle/counters";
import { type ThrottleLimits, throttleLimitsFromEnv } from "./throttle/limits";

export type { ThrottleLimits, ThrottleRule, ThrottleVerdict };

/** How an attempt ended: a wrong password counts, a right one resets, a neutral end gives the slot back. */
export type AttemptOutcome<T> = { outcome: "failure" | "success" | "neutral"; value: T };

export type LoginAttemptResult<T> =
  | { allowed: false; retryAfterSeconds: number; rule: ThrottleRule }
  /** `after` is the verdict the next attempt would get, so a failure can say it caused a lockout. */
  | { allowed: true; value: T; after: ThrottleVerdict };

export type LoginKey = { address: string; account: string; trustedDevice: boolean };

export type Throttle = {
  loginAttempt<T>(key: LoginKey, attempt: () => Promise<AttemptOutcome<T>>): Promise<LoginAttemptResult<T>>;
  /** Counts one registration from the address; refused when over the limit. */
  registration(address: string): Promise<ThrottleVerdict>;
  /**
   * Counts one mail of `purpose` for the account as typed (never resolved to a user, so a refusal
   * says nothing about whether it exists), and one request from the address.
   */
  mail(input: { purpose: string; account: string; address: string }): Promise<ThrottleVerdict>;
  /** Counts one submission of a single-use link from the address. */
  linkSubmission(address: string): Promise<ThrottleVerdict>;
  close(): Promise<void>;
};

const ALLOWED: ThrottleVerdict = { allowed: true };

/** The one place begin and settle are paired. */
export function throttleFrom(counters: ThrottleCounters): Throttle {
  return {
    async loginAttempt(key, attempt) {
      const begun = await counters.beginLogin(key);
      if (!begun.allowed) return begun;
      const pair = { address: key.address, account: key.account };
      let result: Awaited<ReturnType<typeof attempt>>;
      try {
        result = await attempt();
      } catch (e) {
        await counters.loginAborted(pair).catch(() => undefined);
        throw e;
      }
      if (result.outcome === "failure") {
        return { allowed: true, value: result.value, after: await counters.loginFailed(pair, { begun: true }) };
      }
      if (result.outcome === "success") await counters.loginSucceeded(pair, { begun: true });
      else await counters.loginAborted(pair);
      return { allowed: true, value: result.value, after: ALLOWED };
    },
    registration: (address) => counters.checkRegistration({ address }),
    async mail(input) {
      const byAddress = await counters.checkAddressRequest({ address: input.address });
      if (!byAddress.allowed) return byAddress;
      return counters.checkMail(input);
    },
    linkSubmission: (address) => counters.checkAddressRequest({ address }),
    close: () => counters.close(),
  };
}

export function createThrottle(opts: { db?: Db; redisUrl?: string; limits: ThrottleLimits; prefix?: string }): Throttle {
  return throttleFrom(createThrottleCounters(opts));
}

/** The throttle for a configuration: Redis when REDIS_URL is set, else the application database. */
export function throttleFor(config: Config, db: Db): Throttle {
  const limits = throttleLimitsFromEnv(config);
  return config.REDIS_URL ? createThrottle({ redisUrl: config.REDIS_URL, limits }) : createThrottle({ db, limits });
}
