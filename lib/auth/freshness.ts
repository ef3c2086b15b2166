// Step-up (SPEC "Step-up"): sensitive operations need the person to have proved who they are
// within REAUTH_TTL, by signing in or through POST /api/auth/reauthenticate.
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";

export async function requireFreshAuthentication(deps: Pick<Deps, "db" | "clock" | "config">, sessionId: string): Promise<void> {
  const session = await deps.db.session.findUnique({ where: { id: sessionId }, select: { createdAt: true, authenticatedAt: true } });
  const at = session ? (session.authenticatedAt ?? session.createdAt) : null;
  if (!at || deps.clock.now().getTime() - at.getTime() > deps.config.REAUTH_TTL) throw new AppError("reauthentication_required");
}

/** Marks the session as freshly authenticated. */
export async function markAuthenticated(deps: Pick<Deps, "db" | "clock">, sessionId: string): Promise<void> {
  await deps.db.session.update({ where: { id: sessionId }, data: { authenticatedAt: deps.clock.now() }, select: { id: true } });
}
