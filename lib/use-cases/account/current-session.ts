// When and from where the caller's session started, for the dashboard. The session row keeps the
// address and agent of its latest refresh (the account's session list shows those); where it
// began is in the sign-in's audit event, which names the session.
import type { Deps } from "@/lib/deps";
import { describeDevice } from "./list-sessions";

export type CurrentSessionDto = {
  startedAt: string;
  /** Null when no sign-in event names the session (an impersonation, or a pruned log). */
  startedFrom: { address: string | null; device: string } | null;
  lastUsedAt: string;
  lastUsedFrom: { address: string | null; device: string };
};

export async function describeCurrentSession(
  deps: Pick<Deps, "db">,
  input: { userId: string; sessionId: string },
): Promise<CurrentSessionDto | null> {
  // Both reads at once (the second is only used when the first finds the caller's own session).
  const [session, signIn] = await Promise.all([
    deps.db.session.findUnique({
      where: { id: input.sessionId },
      select: { userId: true, createdAt: true, lastUsedAt: true, address: true, userAgent: true },
    }),
    deps.db.auditEvent.findFirst({
      where: { userId: input.userId, type: "login_success", detail: { contains: input.sessionId } },
      orderBy: { seq: "desc" },
      select: { address: true, userAgent: true, detail: true },
    }),
  ]);
  if (!session || session.userId !== input.userId) return null;
  const names = signIn && sessionIdOf(signIn.detail) === input.sessionId;
  return {
    startedAt: session.createdAt.toISOString(),
    startedFrom: names ? { address: signIn.address, device: describeDevice(signIn.userAgent) } : null,
    lastUsedAt: session.lastUsedAt.toISOString(),
    lastUsedFrom: { address: session.address, device: describeDevice(session.userAgent) },
  };
}

function sessionIdOf(detail: string | null): unknown {
  try {
    const parsed: unknown = detail ? JSON.parse(detail) : null;
    return parsed && typeof parsed === "object" && "sessionId" in parsed ? parsed.sessionId : null;
  } catch {
    return null;
  }
}
