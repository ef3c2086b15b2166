// "Confirm it's you": the password again, counted like a sign-in attempt (a stolen session cannot
// guess its way past step-up), makes the session fresh for REAUTH_TTL.
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { markAuthenticated } from "@/lib/auth/freshness";
import { spendChallenge } from "@/lib/auth/login-challenges";
import { checkAssertion, findCeremony } from "@/lib/auth/passkeys";
import { checkFactor, secondFactorsOf } from "@/lib/auth/second-factors";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "../meta";
import { tooManyAttempts } from "./too-many-attempts";

export const IMPERSONATION_CANNOT_REAUTHENTICATE = "While impersonating, you cannot confirm it's the person. Stop impersonating first.";

export type ReauthenticateInput = { userId: string; sessionId: string; meta: RequestMeta } & (
  | { password: string; code?: string }
  | { passkey: { challengeId?: string; response: AuthenticationResponseJSON } }
);

export async function reauthenticate(deps: Deps, input: ReauthenticateInput): Promise<void> {
  // Only the person can confirm it's them: an admin impersonating them never can, even with the
  // person's password, so an impersonation session stays unable to change credentials.
  const session = await deps.db.session.findUnique({ where: { id: input.sessionId }, select: { impersonatorId: true } });
  if (session?.impersonatorId) throw new AppError("forbidden", { message: IMPERSONATION_CANNOT_REAUTHENTICATE });
  const user = await deps.db.user.findUnique({ where: { id: input.userId }, select: { id: true, username: true, passwordHash: true } });
  if (!user) throw new AppError("unauthenticated");
  if ("passkey" in input) return reauthenticateWithPasskey(deps, { ...input, passkey: input.passkey, username: user.username });
  const key = { address: input.meta.address, account: user.username, trustedDevice: true };
  // With an authenticator app, confirming it's you takes its code too (SPEC "Step-up").
  const { totp } = await secondFactorsOf(deps.db, user.id);
  type Verdict = "ok" | "password" | "code";
  const attempt = await deps.throttle.loginAttempt<Verdict>(key, async () => {
    if (!(await deps.hasher.verify(input.password, user.passwordHash))) return { outcome: "failure", value: "password" };
    if (totp && !(input.code && (await checkFactor(deps, user.id, { code: input.code })).ok)) return { outcome: "failure", value: "code" };
    return { outcome: "success", value: "ok" };
  });
  if (!attempt.allowed) throw tooManyAttempts(attempt.retryAfterSeconds);
  if (attempt.value !== "ok") {
    await deps.audit.record({
      type: "reauthentication_failed",
      userId: user.id,
      actorId: user.id,
      ...input.meta,
      detail: { failed: attempt.value },
    });
    if (attempt.value === "code") {
      const message = input.code ? "That code is not right, or was already used." : "Enter the code from your authenticator app.";
      throw new AppError("invalid_code", { message, fields: { code: [message] } });
    }
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

/** A passkey of this account, answered for a live sign-in ceremony, proves it's the person too. */
async function reauthenticateWithPasskey(
  deps: Deps,
  input: {
    userId: string;
    sessionId: string;
    username: string;
    passkey: { challengeId?: string; response: AuthenticationResponseJSON };
    meta: RequestMeta;
  },
): Promise<void> {
  const { response } = input.passkey;
  const key = { address: input.meta.address, account: input.username, trustedDevice: true };
  const attempt = await deps.throttle.loginAttempt(key, async () => {
    const ceremony = await findCeremony(deps, "passkey_login", {
      challengeId: input.passkey.challengeId,
      clientDataJSON: response.response.clientDataJSON,
    });
    if (!ceremony?.webauthn || !(await spendChallenge(deps, ceremony.id))) return { outcome: "failure", value: false };
    const check = await checkAssertion(deps, { response, expectedChallenge: ceremony.webauthn });
    const ok = check.ok && check.userId === input.userId;
    return { outcome: ok ? "success" : "failure", value: ok };
  });
  if (!attempt.allowed) throw tooManyAttempts(attempt.retryAfterSeconds);
  const event = { userId: input.userId, actorId: input.userId, ...input.meta };
  if (!attempt.value) {
    await deps.audit.record({ type: "reauthentication_failed", ...event, detail: { failed: "passkey" } });
    throw new AppError("invalid_credentials", { message: "That passkey does not belong to this account, or could not be checked." });
  }
  await markAuthenticated(deps, input.sessionId);
  await deps.audit.record({ type: "reauthenticated", ...event, detail: { sessionId: input.sessionId, method: "passkey" } });
}
