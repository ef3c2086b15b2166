// The browser's single refresher and auth event bus. Everything here touches window/navigator,
// so only client components (in effects or handlers) may call it.
import {
  ACCESS_EXPIRES_AT_KEY,
  AUTH_CHANNEL_NAME,
  type AuthMessage,
  createSessionRefresher,
  type LockLike,
  REFRESHED_AT_KEY,
  type RefreshOptions,
  type RefreshResult,
  type SessionRefresher,
  type StorageLike,
} from "./session-refresher";

export type AuthEvent =
  | { type: "refreshed"; accessExpiresAt: number; fromOtherTab: boolean }
  | { type: "signed-out"; fromOtherTab: boolean };

const listeners = new Set<(event: AuthEvent) => void>();
let channel: BroadcastChannel | null | undefined;
let refresher: SessionRefresher | undefined;

function emit(event: AuthEvent): void {
  for (const listener of listeners) listener(event);
}

function isAuthMessage(data: unknown): data is AuthMessage {
  if (!data || typeof data !== "object") return false;
  const message = data as Record<string, unknown>;
  if (message.type === "signed-out") return true;
  return message.type === "refreshed" && typeof message.accessExpiresAt === "number";
}

function authChannel(): BroadcastChannel | null {
  if (channel !== undefined) return channel;
  channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(AUTH_CHANNEL_NAME) : null;
  // One object both posts and listens, and a BroadcastChannel never hears its own messages: only other tabs arrive here.
  channel?.addEventListener("message", (event: MessageEvent<unknown>) => {
    if (!isAuthMessage(event.data)) return;
    emit(
      event.data.type === "refreshed"
        ? { type: "refreshed", accessExpiresAt: event.data.accessExpiresAt, fromOtherTab: true }
        : { type: "signed-out", fromOtherTab: true },
    );
  });
  return channel;
}

function browserStorage(): StorageLike | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function browserLocks(): LockLike | null {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (!locks) return null;
  return { request: (name, callback) => locks.request(name, () => callback()) };
}

function browserRefresher(): SessionRefresher {
  refresher ??= createSessionRefresher({
    fetch: (input, init) => window.fetch(input, init),
    now: () => Date.now(),
    locks: browserLocks(),
    storage: browserStorage(),
    channel: authChannel(),
    onRefreshed: (accessExpiresAt) => emit({ type: "refreshed", accessExpiresAt, fromOtherTab: false }),
    onSignedOut: () => emit({ type: "signed-out", fromOtherTab: false }),
  });
  return refresher;
}

/** Renews the access token once for every tab; see session-refresher.ts. */
export function refreshSession(options?: RefreshOptions): Promise<RefreshResult> {
  return browserRefresher().refresh(options);
}

export function subscribeAuthEvents(listener: (event: AuthEvent) => void): () => void {
  authChannel();
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Tells the other tabs this browser signed out, and forgets the shared refresh bookkeeping. */
export function announceSignedOut(): void {
  const storage = browserStorage();
  try {
    storage?.removeItem(REFRESHED_AT_KEY);
    storage?.removeItem(ACCESS_EXPIRES_AT_KEY);
  } catch {
    // Best effort.
  }
  authChannel()?.postMessage({ type: "signed-out" } satisfies AuthMessage);
}

/** The login page, returning here afterwards. */
export function loginUrlForCurrentPage(): string {
  const here = window.location.pathname + window.location.search;
  return `/login?next=${encodeURIComponent(here)}`;
}
