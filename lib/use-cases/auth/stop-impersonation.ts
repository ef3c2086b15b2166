// Ends an impersonation and gives the admin their own session back (docs/decisions/0015-impersonation.md).
// The impersonation always ends; the way back is the refresh token of the admin's own session
// that impersonate set aside, which must still belong to the impersonating admin and be live.
import { secondFactorsOf } from "@/lib/auth/second-factors";
import { findSessionByRefreshToken, revokeSessions } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "../meta";
import type { LoginResult } from "./login";
import { refresh } from "./refresh";

export type StopImpersonationInput = {
  /** The impersonation session, from the request's access token. */
  sessionId: string;
  /** A refresh token of the admin's own session (the return cookie, or a script's body), if any. */
  returnToken: string | undefined;
  meta: RequestMeta;
};

/** The admin's own tokens, as a login answers; null when no way back was given (a script keeps its own). */
export type StopImpersonationResult = Omit<LoginResult, "device"> | null;

export async function stopImpersonation(deps: Deps, input: StopImpersonationInput): Promise<StopImpersonationResult> {
  const session = await deps.db.session.findUnique({
    where: { id: input.sessionId },
    select: { userId: true, impersonatorId: true, expiresAt: true },
  });
  const adminId = session?.impersonatorId;
  if (!session || !adminId) throw new AppError("not_impersonating");
  const ended = await revokeSessions(deps, { sessionId: input.sessionId }, "impersonation_ended");
  if (ended > 0) {
    const detail = { sessionId: input.sessionId, expiresAt: session.expiresAt.toISOString() };
    await deps.audit.record({ type: "impersonation_ended", userId: session.userId, ...input.meta, actorId: adminId, detail });
  }
  if (input.returnToken === undefined) return null;
  // Only the impersonating admin's own live session is a way back; anything else signs out.
  const own = await findSessionByRefreshToken(deps.db, input.returnToken);
  if (own?.userId !== adminId) throw new AppError("invalid_refresh_token");
  const { actorId: _impersonator, ...meta } = input.meta;
  const tokens = await refresh(deps, { refreshToken: input.returnToken, meta });
  return { ...tokens, factors: await secondFactorsOf(deps.db, tokens.user.id) };
}
