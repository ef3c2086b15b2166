// "Sign in with a passkey", second half: the authenticator's assertion for a live ceremony. The
// passkey is found by the credential id, the signature, origin, relying party, user verification
// and counter are checked (lib/auth/passkeys.ts), the ceremony is spent, and the sign-in ends
// like every other (completeSignIn). A passkey is a whole sign-in: no second factor is asked for.
// Refusals count toward the address limits like wrong passwords; the account-wide limit does not
// apply (an attacker's password guesses must not lock out the holder of a passkey).
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { spendChallenge } from "@/lib/auth/login-challenges";
import { type AssertionFailure, checkAssertion, findCeremony } from "@/lib/auth/passkeys";
import { secondFactorsOf } from "@/lib/auth/second-factors";
import { toSessionUser } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import { mailVerificationLink } from "../account/send-verification";
import type { RequestMeta } from "../meta";
import { completeSignIn, type LoginResult } from "./login";
import { tooManyAttempts } from "./too-many-attempts";

export type PasskeyLoginInput = { challengeId?: string; response: AuthenticationResponseJSON; device?: string; meta: RequestMeta };

const USER_SELECT = { id: true, username: true, email: true, emailVerifiedAt: true, role: true, createdAt: true, disabled: true } as const;

type Refusal = AssertionFailure | "challenge";
type Verdict = { kind: "refused"; reason: Refusal } | { kind: "disabled" | "unverified" | "ok"; userId: string };

export const passkeyRefused = () =>
  new AppError("invalid_credentials", { message: "That passkey could not be used to sign in. Try again, or sign in with your password." });

export async function passkeyLogin(deps: Deps, input: PasskeyLoginInput): Promise<LoginResult> {
  const { db, audit } = deps;
  const { response } = input;
  // Who the credential claims to be, for the throttle and the audit log; proved only by checkAssertion.
  const claimed = await db.passkey.findUnique({ where: { id: response.id }, select: { user: { select: USER_SELECT } } });
  const user = claimed?.user ?? null;
  const account = user?.username ?? `passkey:${response.id.slice(0, 64)}`;
  const meta = { ...input.meta, subject: user?.username ?? null };
  const verificationRequired = deps.config.EMAIL_VERIFICATION === "required";

  const attempt = await deps.throttle.loginAttempt<Verdict>({ address: input.meta.address, account, trustedDevice: true }, async () => {
    const ceremony = await findCeremony(deps, "passkey_login", {
      challengeId: input.challengeId,
      clientDataJSON: response.response.clientDataJSON,
    });
    // Spent first: whatever follows, this challenge has been answered once.
    if (!ceremony?.webauthn || !(await spendChallenge(deps, ceremony.id)))
      return { outcome: "failure", value: { kind: "refused", reason: "challenge" } };
    const check = await checkAssertion(deps, { response, expectedChallenge: ceremony.webauthn });
    if (!check.ok || !user || check.userId !== user.id) {
      return { outcome: "failure", value: { kind: "refused", reason: check.ok ? "unknown_credential" : check.reason } };
    }
    if (user.disabled) return { outcome: "neutral", value: { kind: "disabled", userId: user.id } };
    if (verificationRequired && !(user.email && user.emailVerifiedAt))
      return { outcome: "neutral", value: { kind: "unverified", userId: user.id } };
    return { outcome: "success", value: { kind: "ok", userId: user.id } };
  });
  if (!attempt.allowed) {
    await audit.record({ type: "login_throttled", userId: user?.id, ...meta, detail: { rule: attempt.rule, method: "passkey" } });
    throw tooManyAttempts(attempt.retryAfterSeconds);
  }
  const verdict = attempt.value;
  if (verdict.kind === "refused") {
    await audit.record({ type: "login_failure", userId: user?.id, ...meta, detail: { method: "passkey", reason: verdict.reason } });
    if (!attempt.after.allowed) {
      const detail = { rule: attempt.after.rule, retryAfterSeconds: attempt.after.retryAfterSeconds, method: "passkey" };
      await audit.record({ type: "login_lockout", userId: user?.id, ...meta, detail });
    }
    throw passkeyRefused();
  }
  if (!user) throw passkeyRefused();
  if (verdict.kind === "disabled") {
    await audit.record({ type: "login_disabled", userId: user.id, ...meta, detail: { method: "passkey" } });
    throw new AppError("account_disabled");
  }
  if (verdict.kind === "unverified") {
    await audit.record({ type: "login_unverified", userId: user.id, ...meta, detail: { method: "passkey" } });
    const mail = await deps.throttle.mail({ purpose: "email_verification", account: user.id, address: input.meta.address });
    if (mail.allowed) await mailVerificationLink(deps, { userId: user.id, meta: input.meta });
    throw new AppError("email_unverified");
  }
  const factors = await secondFactorsOf(db, user.id);
  return completeSignIn(deps, { user: toSessionUser(user), device: input.device, meta: input.meta, factors, method: "passkey" });
}
