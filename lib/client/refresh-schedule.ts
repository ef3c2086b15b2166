// When the session keeper should renew the access token. Pure, so the timing rules are testable.

/** Renew this long before the access token expires (network time plus the server's clock-skew slack). */
export const REFRESH_LEAD_MS = 30_000;
const MIN_DELAY_MS = 1_000;
// setTimeout fires at once for delays above 2^31-1 ms; a long-lived token must not cause a refresh loop.
const MAX_DELAY_MS = 2_147_483_647;
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 60_000;

/**
 * Milliseconds until the next renewal. Normally REFRESH_LEAD_MS before expiry; with a token that
 * lives less than twice the lead (a short ACCESS_TOKEN_TTL in tests), halfway through its life
 * instead, so the keeper never renews in a tight loop.
 */
export function refreshDelay(accessExpiresAt: number, now: number): number {
  const remaining = accessExpiresAt - now;
  if (!Number.isFinite(remaining) || remaining <= 0) return 0;
  const delay = Math.max(remaining - REFRESH_LEAD_MS, remaining / 2);
  return Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, Math.round(delay)));
}

/** True when the token is expired or inside the lead window (checked when a hidden tab becomes visible). */
export function isRefreshDue(accessExpiresAt: number, now: number): boolean {
  return accessExpiresAt - now <= REFRESH_LEAD_MS;
}

/** Back-off after a failed renewal (503 or offline): 5 s, 10 s, 20 s, 40 s, then every 60 s. */
export function retryDelay(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
}
