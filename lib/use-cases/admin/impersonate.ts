// An admin acts as another account for at most an hour (SPEC "Admin console";
// docs/decisions/0015-impersonation.md). Needs the admin's fresh authentication; never an admin,
// a disabled account or oneself. The new session names the admin (impersonatorId), is never
// fresh (so the person's credentials stay out of reach) and is not extended by refreshes.
import { requireFreshAuthentication } from "@/lib/auth/freshness";
import { type IssuedTokens, issueTokens } from "@/lib/auth/issue";
import { createSession, reissueRefreshToken, toSessionUser } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { AdminActor } from "../meta";
import { noSuchUser, withAdminLock } from "./admin-lock";

/** The longest an impersonation lasts; refreshing does not extend it. */
export const IMPERSONATION_LIFETIME_MS = 60 * 60 * 1000;

export type ImpersonateInput = {
  userId: string;
  actor: AdminActor & { actorId: string; sessionId: string };
  /**
   * A browser's request: its refresh cookie is about to be overwritten, so the admin's own
   * session gets a new refresh token (returnToken) for POST /api/auth/impersonation/stop.
   * A script keeps its own tokens and needs none.
   */
  keepReturn: boolean;
};

export type ImpersonateResult = IssuedTokens & {
  impersonator: { id: string; username: string };
  /** When the impersonation ends, whatever happens before. */
  endsAt: Date;
  /** A refresh token of the admin's own session, or null (a script, or that session just ended). */
  returnToken: string | null;
};

const refusal = (message: string) => new AppError("cannot_impersonate", { message });

export async function impersonate(deps: Deps, input: ImpersonateInput): Promise<ImpersonateResult> {
  const { userId, actor } = input;
  await requireFreshAuthentication(deps, actor.sessionId);
  if (userId === actor.actorId) throw refusal("You cannot impersonate yourself.");
  const { target, admin, session, returnToken } = await withAdminLock(deps, actor.actorId, async (tx) => {
    const target = await tx.user.findUnique({
      where: { id: userId },
      select: { id: true, username: true, email: true, emailVerifiedAt: true, role: true, createdAt: true, disabled: true },
    });
    if (!target) throw noSuchUser();
    if (target.role === "admin") throw refusal("Administrators cannot be impersonated.");
    if (target.disabled) throw refusal("Disabled accounts cannot be impersonated.");
    const admin = await tx.user.findUniqueOrThrow({ where: { id: actor.actorId }, select: { id: true, username: true } });
    const session = await createSession(
      { db: tx, clock: deps.clock, config: deps.config },
      {
        userId,
        address: actor.address,
        userAgent: actor.userAgent,
        impersonation: { impersonatorId: admin.id, lifetimeMs: IMPERSONATION_LIFETIME_MS },
      },
    );
    const returnToken = input.keepReturn ? await reissueRefreshToken({ db: tx, clock: deps.clock }, actor.sessionId) : null;
    const detail = { sessionId: session.sessionId, expiresAt: session.endsAt.toISOString() };
    const event = { userId, actorId: admin.id, subject: target.username, address: actor.address, userAgent: actor.userAgent };
    await deps.audit.record({ type: "impersonation_started", ...event, detail }, tx);
    return { target, admin, session, returnToken };
  });
  const tokens = await issueTokens({ ...session, impersonatorId: admin.id }, toSessionUser(target));
  return { ...tokens, impersonator: admin, endsAt: session.endsAt, returnToken };
}
