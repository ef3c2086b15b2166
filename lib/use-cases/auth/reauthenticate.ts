// "Confirm it's you": the password again, counted like a sign-in attempt (a stolen session cannot
// guess its way past step-up), makes the session fresh for REAUTH_TTL.
import { markAuthenticated } from "@/lib/auth/freshness";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "../meta";
import { tooManyAttempts } from "./too-many-attempts";

export type ReauthenticateInput = { userId: string; sessionId: string; password: string; meta: RequestMeta };

export async function reauthenticate(deps: Deps, input: ReauthenticateInput): Promise<void> {
  const user = await deps.db.user.findUnique({ where: { id: input.userId }, select: { id: true, username: true, passwordHash: true } });
  if (!user) throw new AppError("unauthenticated");
  const key = { address: input.meta.address, account: user.username, trustedDevice: true };
  const attempt = await deps.throttle.loginAttempt(key, async () => {
    const ok = await deps.hasher.verify(input.password, user.passwordHash);
    return { outcome: ok ? "success" : "failure", value: ok };
  });
  if (!attempt.allowed) throw tooManyAttempts(attempt.retryAfterSeconds);
  if (!attempt.value) {
    await deps.audit.record({ type: "reauthentication_failed", userId: user.id, actorId: user.id, ...input.meta });
    const message = "The password is incorrect.";
    throw new AppError("invalid_credentials", { message, fields: { password: [message] } });
  }
  await markAuthenticated(deps, input.sessionId);
  await deps.audit.record({
    type: "reauthenticated",
    userId: user.id,
    actorId: user.id,
    ...input.meta,
    detail: { sessionId: input.sessionId },
  });
}
