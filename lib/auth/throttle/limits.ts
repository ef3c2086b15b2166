import { type Config, config } from "@/lib/config";

/** Every number the throttle uses, in whole seconds (Redis expiries have one-second resolution). */
export type ThrottleLimits = {
  /** Rule A: consecutive failures of one (address, account) pair before the first lock. */
  pairFailures: number;
  /** Rule A: the first lock, doubled by each further failure up to pairMaxSeconds. */
  pairBaseSeconds: number;
  pairMaxSeconds: number;
  /**
   * Rule A: how long a run of failures is remembered without a success. The window is fixed
   * from the first failure (rate-limiter-flexible never extends it), so it must outlast the
   * whole doubling ladder or the ladder would restart halfway. Default 24 h.
   */
  pairMemorySeconds?: number;
  /** Rule B: failures on one account from any address within the window. */
  accountFailures: number;
  accountWindowSeconds: number;
  /** Rule C: failed logins from one address within the window. */
  addressFailures: number;
  /** Rule C: registrations from one address within the window (also mail requests and link submissions). */
  addressRegistrations: number;
  addressWindowSeconds: number;
  /** Mails of one kind per account within the mail window (SPEC: 3 per 10 minutes). */
  accountMails?: number;
  accountMailWindowSeconds?: number;
};

export const DEFAULT_ACCOUNT_MAILS = 3;
export const DEFAULT_ACCOUNT_MAIL_WINDOW = 10 * 60;

export const DEFAULT_PAIR_MEMORY_SECONDS = 24 * 60 * 60;

// rate-limiter-flexible's Redis store floors durations to whole seconds, and 0 means "never
// expires": round up so "500ms" can never become an everlasting lock.
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export function throttleLimitsFromEnv(e: Config = config()): ThrottleLimits {
  return {
    pairFailures: e.THROTTLE_PAIR_FAILURES,
    pairBaseSeconds: seconds(e.THROTTLE_PAIR_BASE),
    pairMaxSeconds: seconds(e.THROTTLE_PAIR_MAX),
    accountFailures: e.THROTTLE_ACCOUNT_FAILURES,
    accountWindowSeconds: seconds(e.THROTTLE_ACCOUNT_WINDOW),
    addressFailures: e.THROTTLE_ADDRESS_FAILURES,
    addressRegistrations: e.THROTTLE_ADDRESS_REGISTRATIONS,
    addressWindowSeconds: seconds(e.THROTTLE_ADDRESS_WINDOW),
    accountMails: e.THROTTLE_ACCOUNT_MAILS,
    accountMailWindowSeconds: seconds(e.THROTTLE_ACCOUNT_MAIL_WINDOW),
  };
}

/** The lock after the `failures`-th consecutive failure, or 0 while under the threshold. */
export function pairLockSeconds(limits: ThrottleLimits, failures: number): number {
  if (failures < limits.pairFailures) return 0;
  const doublings = Math.min(failures - limits.pairFailures, 40);
  return Math.min(limits.pairBaseSeconds * 2 ** doublings, limits.pairMaxSeconds);
}

export function assertValidLimits(limits: ThrottleLimits): void {
  for (const [name, value] of Object.entries(limits)) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new Error(`throttle limit ${name} must be a positive whole number, got ${String(value)}`);
    }
  }
  if (limits.pairMaxSeconds < limits.pairBaseSeconds) {
    throw new Error("throttle limit pairMaxSeconds must not be below pairBaseSeconds");
  }
}
