// fetch for our own JSON API, with the one-refresh-then-retry rule for an expired access token.
// Kept free of window/navigator so vitest can drive it with a fake fetch.
import type { RefreshOptions, RefreshResult } from "./session-refresher";

export type ApiFetchDeps = {
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  refresh: (options: RefreshOptions) => Promise<RefreshResult>;
  /** The session is gone for good: take the person to the login page. */
  onSignedOut: () => void;
  now?: () => number;
};

export type ApiFetch = (input: string, init?: RequestInit) => Promise<Response>;

const UNAVAILABLE_BODY = {
  code: "service_unavailable",
  message: "Your session could not be renewed just now. Nothing was lost; try again in a moment.",
};

/**
 * The auth endpoints answer 401 about credentials, not about an expired access token. Except
 * step-up (/api/auth/reauthenticate), which needs a live session: its wrong password is an
 * `invalid_credentials` 401 (never retried, see isExpiredTokenAnswer), and any other 401 is an
 * expired token worth one refresh.
 */
export function isAuthEndpoint(input: string): boolean {
  const { pathname } = new URL(input, "http://latchkey.invalid");
  return pathname.startsWith("/api/auth/") && pathname !== "/api/auth/reauthenticate";
}

function withDefaults(init: RequestInit | undefined): RequestInit {
  const headers = new Headers(init?.headers);
  if (!headers.has("accept")) headers.set("accept", "application/json");
  if (init?.body != null && typeof init.body === "string" && !headers.has("content-type")) {
    headers.set("content-type", "application/json");
  }
  return { ...init, headers, credentials: "same-origin" };
}

async function isExpiredTokenAnswer(res: Response): Promise<boolean> {
  if (res.status !== 401) return false;
  try {
    const body = (await res.clone().json()) as { code?: unknown };
    // A wrong current password (POST /api/account/password) or a wrong step-up code is a 401
    // too, and retrying it after a refresh would only cost a second failed attempt against the
    // throttle.
    return body.code !== "invalid_credentials" && body.code !== "invalid_code";
  } catch {
    return true;
  }
}

export function createApiFetch(deps: ApiFetchDeps): ApiFetch {
  return async (input, init) => {
    const request = withDefaults(init);
    const sentAt = (deps.now ?? Date.now)();
    const first = await deps.fetch(input, request);
    if (isAuthEndpoint(input) || !(await isExpiredTokenAnswer(first))) return first;

    // A refresh another tab finished after this request left is all it needs: its cookie was just stale.
    const outcome = await deps.refresh({ since: sentAt }).catch((): RefreshResult => ({ status: "unavailable" }));
    if (outcome.status === "signed-out") {
      deps.onSignedOut();
      return first;
    }
    if (outcome.status === "unavailable") {
      // Not a sign-out: a database outage or a lost connection must leave the session alone.
      return new Response(JSON.stringify(UNAVAILABLE_BODY), {
        status: 503,
        headers: { "content-type": "application/json" },
      });
    }
    return deps.fetch(input, request);
  };
}
