// Sign-out is a POST (a prefetched or crawled GET must never end a session).
import { apiFetch, jsonRequest } from "./api-fetch";
import { announceSignedOut, refreshSession } from "./session";

export type SignOutResult = { ok: true } | { ok: false; message: string };

const FAILED = "Couldn't sign out: the server did not answer. Your session is still active; try again.";

async function postLogout(everywhere: boolean): Promise<Response> {
  return apiFetch("/api/auth/logout", jsonRequest("POST", everywhere ? { everywhere: true } : {}));
}

/**
 * Ends this session (or all of them). On success the caller navigates to /login; on failure the
 * person must be told, because the refresh cookie would otherwise keep them signed in.
 */
export async function signOut(options: { everywhere?: boolean } = {}): Promise<SignOutResult> {
  const everywhere = options.everywhere === true;
  try {
    let res = await postLogout(everywhere);
    if (res.status === 401) {
      // An expired access token: renew once so the server can identify the session to end.
      const outcome = await refreshSession();
      if (outcome.status === "unavailable") return { ok: false, message: FAILED };
      if (outcome.status === "refreshed") res = await postLogout(everywhere);
      else res = new Response(null, { status: 204 }); // Already signed out.
    }
    if (!res.ok && res.status !== 401) return { ok: false, message: FAILED };
    announceSignedOut();
    return { ok: true };
  } catch {
    return { ok: false, message: FAILED };
  }
}
