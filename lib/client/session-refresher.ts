// One refresh at a time across every tab of this browser. Refresh tokens rotate on each use, so
// two tabs refreshing with the same cookie would lean on the server's reuse grace window at best
// and revoke the session at worst; the Web Locks API serialises them, and a tab that gets the
// lock after another tab refreshed reuses that result instead of spending the new token.
//
// "After" is measured from the caller's `since` (when its failing request was sent, or when it
// asked), not from a fixed window alone: with a short-lived token a window would also swallow
// this tab's own next renewal and let the token lapse.

export const REFRESH_LOCK_NAME = "latchkey-refresh";
export const AUTH_CHANNEL_NAME = "latchkey-auth";
export const REFRESHED_AT_KEY = "latchkey:refreshedAt";
export const ACCESS_EXPIRES_AT_KEY = "latchkey:accessExpiresAt";
const REFRESH_URL = "/api/auth/refresh";
const DEFAULT_RECENT_WINDOW_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 15_000;
// Used only when a 200 carries no readable expires_in: short, so the keeper checks again soon.
const UNKNOWN_LIFETIME_MS = 60_000;

export type RefreshResult =
  | { status: "refreshed"; accessExpiresAt: number; reused: boolean }
  /** The session is gone (401): the person must sign in again. */
  | { status: "signed-out" }
  /** 503, another status, or no network: nothing is known, nothing is cleared. */
  | { status: "unavailable" };

export type AuthMessage = { type: "refreshed"; at: number; accessExpiresAt: number } | { type: "signed-out" };

export type LockLike = { request<T>(name: string, callback: () => Promise<T>): Promise<T> };
export type StorageLike = { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };
export type ChannelLike = { postMessage(message: AuthMessage): void };

export type RefresherDeps = {
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  now: () => number;
  locks?: LockLike | null;
  storage?: StorageLike | null;
  channel?: ChannelLike | null;
  /** Called in this tab after each successful refresh (the channel only reaches other tabs). */
  onRefreshed?: (accessExpiresAt: number) => void;
  onSignedOut?: () => void;
  recentWindowMs?: number;
  timeoutMs?: number;
};

export type RefreshOptions = {
  /** Epoch ms: a refresh another tab recorded at or after this time is reused. Defaults to now. */
  since?: number;
};

export type SessionRefresher = { refresh(options?: RefreshOptions): Promise<RefreshResult> };

function readNumber(storage: StorageLike | null | undefined, key: string): number | null {
  try {
    const raw = storage?.getItem(key);
    const value = raw == null ? NaN : Number(raw);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null; // Storage can throw (privacy modes, quota); coordination then degrades, nothing breaks.
  }
}

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // Storage and channels are best-effort coordination.
  }
}

export function createSessionRefresher(deps: RefresherDeps): SessionRefresher {
  const recentWindowMs = deps.recentWindowMs ?? DEFAULT_RECENT_WINDOW_MS;
  let inFlight: Promise<RefreshResult> | null = null;

  function recordedSince(since: number): RefreshResult | null {
    const at = readNumber(deps.storage, REFRESHED_AT_KEY);
    const expiresAt = readNumber(deps.storage, ACCESS_EXPIRES_AT_KEY);
    const now = deps.now();
    if (at === null || expiresAt === null) return null;
    // The bound on age also ignores a record from a clock that has since moved backwards.
    if (at < since || at > now || now - at > recentWindowMs || expiresAt <= now) return null;
    return { status: "refreshed", accessExpiresAt: expiresAt, reused: true };
  }

  async function callServer(): Promise<RefreshResult> {
    let res: Response;
    // Other tabs wait on the lock we hold, so a request that never answers must not hold it forever.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), deps.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    try {
      res = await deps.fetch(REFRESH_URL, {
        method: "POST",
        credentials: "same-origin",
        headers: { accept: "application/json" },
        signal: controller.signal,
      });
    } catch {
      return { status: "unavailable" };
    } finally {
      clearTimeout(timer);
    }
    if (res.status === 401) {
      safely(() => deps.storage?.removeItem(REFRESHED_AT_KEY));
      safely(() => deps.storage?.removeItem(ACCESS_EXPIRES_AT_KEY));
      safely(() => deps.channel?.postMessage({ type: "signed-out" }));
      deps.onSignedOut?.();
      return { status: "signed-out" };
    }
    if (!res.ok) return { status: "unavailable" };

    let lifetimeMs = UNKNOWN_LIFETIME_MS;
    try {
      const body = (await res.json()) as { expires_in?: unknown };
      if (typeof body.expires_in === "number" && body.expires_in > 0) lifetimeMs = body.expires_in * 1000;
    } catch {
      // The cookies were rotated all the same; only the lifetime is unknown.
    }
    const at = deps.now();
    const accessExpiresAt = at + lifetimeMs;
    safely(() => deps.storage?.setItem(REFRESHED_AT_KEY, String(at)));
    safely(() => deps.storage?.setItem(ACCESS_EXPIRES_AT_KEY, String(accessExpiresAt)));
    safely(() => deps.channel?.postMessage({ type: "refreshed", at, accessExpiresAt }));
    deps.onRefreshed?.(accessExpiresAt);
    return { status: "refreshed", accessExpiresAt, reused: false };
  }

  async function underLock(since: number): Promise<RefreshResult> {
    const recorded = recordedSince(since);
    if (recorded) {
      if (recorded.status === "refreshed") deps.onRefreshed?.(recorded.accessExpiresAt);
      return recorded;
    }
    return callServer();
  }

  async function run(since: number): Promise<RefreshResult> {
    if (!deps.locks) return underLock(since);
    let granted = false;
    try {
      return await deps.locks.request(REFRESH_LOCK_NAME, () => {
        granted = true;
        return underLock(since);
      });
    } catch (error) {
      if (granted) throw error;
      // A lock manager that refuses (e.g. an opaque-origin iframe) must not stop the refresh itself.
      return underLock(since);
    }
  }

  return {
    refresh(options = {}) {
      // Every caller in this tab shares one attempt (several requests can hit 401 together).
      inFlight ??= run(options.since ?? deps.now()).finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
  };
}
