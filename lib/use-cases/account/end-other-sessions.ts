// "Sign out of other sessions": every session of the caller but the current one.
import { revokeSessions } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import type { RequestMeta } from "../meta";

export type EndOtherSessionsInput = { userId: string; currentSessionId: string; meta: RequestMeta };

export async function endOtherSessions(deps: Deps, input: EndOtherSessionsInput): Promise<number> {
  const { userId } = input;
  const count = await revokeSessions(deps, { userId, exceptSessionId: input.currentSessionId }, "signed_out_by_user");
  await deps.audit.record({ type: "other_sessions_revoked", userId, actorId: userId, ...input.meta, detail: { count } });
  return count;
}
