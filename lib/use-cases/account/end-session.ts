// Signs one of the caller's own sessions out (the account page's "Sign out" on a session row).
import { revokeSessions } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "../meta";

export type EndSessionInput = { userId: string; sessionId: string; meta: RequestMeta };

export async function endSession(deps: Deps, input: EndSessionInput): Promise<void> {
  const { userId, sessionId } = input;
  // Another user's session id answers exactly like a missing one.
  const owned = await deps.db.session.findFirst({ where: { id: sessionId, userId, revokedAt: null }, select: { id: true } });
  if (!owned) throw new AppError("not_found", { message: "No such session." });
  await revokeSessions(deps, { sessionId }, "signed_out_by_user");
  await deps.audit.record({ type: "session_revoked", userId, actorId: userId, ...input.meta, detail: { sessionId } });
}
