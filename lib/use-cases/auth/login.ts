// Sign-in: throttle → find account → verify (a dummy comparison when there is no account, so
// timing does not tell) → disabled check only after a correct password → session and tokens.
import { deviceKnows, issueDevice } from "@/lib/auth/device";
import { type IssuedTokens, issueTokens } from "@/lib/auth/issue";
import { createChallenge } from "@/lib/auth/login-challenges";
import { type SecondFactors, secondFactorsOf } from "@/lib/auth/second-factors";
import { createSession, type SessionUser, toSessionUser } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import { mailVerificationLink } from "../account/send-verification";
import type { RequestMeta } from "../meta";
import { tooManyAttempts } from "./too-many-attempts";

export type LoginInput = { identifier: string; password: string; device?: string; meta: RequestMeta };
export type LoginResult = IssuedTokens & { device: string; factors: SecondFactors };

export async function login(deps: Deps, input: LoginInput): Promise<LoginResult> {
  const { db, throttle, hasher, audit } = deps;
  const meta = { ...input.meta, subject: input.identifier };
  const user = await db.user.findFirst({
    where: input.identifier.includes("@") ? { email: input.identifier } : { username: input.identifier },
    select: {
      id: true,
      username: true,
      email: true,
      emailVerifiedAt: true,
      role: true,
      disabled: true,
      createdAt: true,
      passwordHash: true,
    },
  });
  const trustedDevice = user ? await deviceKnows(input.device, user.id) : false;
  type Verdict = { kind: "wrong" } | { kind: "disabled" } | { kind: "unverified" } | { kind: "ok"; user: NonNullable<typeof user> };
  const verificationRequired = deps.config.EMAIL_VERIFICATION === "required";
  const key = { address: input.meta.address, account: input.identifier, trustedDevice };
  const attempt = await throttle.loginAttempt<Verdict>(key, async () => {
    const ok = user ? await hasher.verify(input.password, user.passwordHash) : await hasher.verifyDummy(input.password);
    if (!user || !ok) return { outcome: "failure", value: { kind: "wrong" } };
    // A correct password for a disabled account: not a failure to count against the person, nor a sign-in.
    if (user.disabled) return { outcome: "neutral", value: { kind: "disabled" } };
    if (verificationRequired && !(user.email && user.emailVerifiedAt)) return { outcome: "neutral", value: { kind: "unverified" } };
    return { outcome: "success", value: { kind: "ok", user } };
  });
  if (!attempt.allowed) {
    await audit.record({ type: "login_throttled", userId: user?.id, ...meta, detail: { rule: attempt.rule } });
    throw tooManyAttempts(attempt.retryAfterSeconds);
  }
  const verdict = attempt.value;
  if (verdict.kind === "wrong") {
    await audit.record({ type: "login_failure", userId: user?.id, ...meta });
    const { after } = attempt;
    if (!after.allowed) {
      const detail = { rule: after.rule, retryAfterSeconds: after.retryAfterSeconds };
      await audit.record({ type: "login_lockout", userId: user?.id, ...meta, detail });
    }
    throw new AppError("invalid_credentials");
  }
  if (verdict.kind === "disabled") {
    await audit.record({ type: "login_disabled", userId: user?.id, ...meta });
    throw new AppError("account_disabled");
  }
  if (verdict.kind === "unverified" && user) {
    await audit.record({ type: "login_unverified", userId: user.id, ...meta });
    // The way to resend: every refused sign-in mails a fresh link, within the mail limit.
    const mail = await throttle.mail({ purpose: "email_verification", account: user.id, address: input.meta.address });
    if (mail.allowed) await mailVerificationLink(deps, { userId: user.id, meta: input.meta });
    throw new AppError("email_unverified");
  }
  if (verdict.kind !== "ok") throw new AppError("invalid_credentials");
  const signedIn = verdict.user;
  if (hasher.needsRehash(signedIn.passwordHash)) {
    // The cost factor was raised since this hash was made: upgrade it while we hold the password.
    const passwordHash = await hasher.hash(input.password);
    await db.user.update({ where: { id: signedIn.id }, data: { passwordHash }, select: { id: true } });
  }
  const factors = await secondFactorsOf(db, signedIn.id);
  if (factors.totp) {
    // No session, token or device cookie before the second step passes; a known device does not skip it.
    const challenge = await createChallenge(deps, { kind: "second_factor", userId: signedIn.id });
    await audit.record({ type: "second_factor_challenged", userId: signedIn.id, ...meta });
    throw new AppError("second_factor_required", { extra: { challenge, methods: ["totp", "recovery_code"] } });
  }
  return completeSignIn(deps, { user: toSessionUser(signedIn), device: input.device, meta: input.meta, factors, method: "password" });
}

/** The session, its audit event, the tokens and the known-device cookie: the end of every way in. */
export async function completeSignIn(
  deps: Deps,
  input: {
    user: SessionUser;
    device?: string;
    meta: RequestMeta;
    factors: SecondFactors;
    method: "password" | "second_factor" | "passkey";
  },
): Promise<LoginResult> {
  const { user } = input;
  const session = await createSession(deps, { userId: user.id, ...input.meta });
  const detail = { sessionId: session.sessionId, method: input.method };
  await deps.audit.record({ type: "login_success", userId: user.id, actorId: user.id, ...input.meta, subject: user.username, detail });
  const tokens = await issueTokens(session, user);
  return { ...tokens, factors: input.factors, device: await issueDevice(input.device, user.id) };
}
