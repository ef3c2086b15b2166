// Sign-out: ends the session named by the access token, or else by the refresh token, so a
// browser whose access token already expired can still sign out. `everywhere` ends them all.
import { findSessionByRefreshToken, revokeSessions } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import type { RequestMeta } from "../meta";

export type LogoutInput = {
  /** From a verified access token, when the request carried a live one. */
  session?: { sessionId: string; userId: string };
  refreshToken?: string;
  everywhere: boolean;
  meta: RequestMeta;
};

export async function logout(deps: Deps, input: LogoutInput): Promise<void> {
  const found = input.session ?? (input.refreshToken ? await findSessionByRefreshToken(deps.db, input.refreshToken) : null);
  if (!found) return;
  const { sessionId, userId } = found;
  const event = { userId, actorId: userId, ...input.meta };
  if (input.everywhere) {
    await revokeSessions(deps, { userId }, "logout_everywhere");
    await deps.audit.record({ type: "logout_everywhere", ...event });
  } else {
    await revokeSessions(deps, { sessionId }, "logout");
    await deps.audit.record({ type: "logout", ...event, detail: { sessionId } });
  }
}
