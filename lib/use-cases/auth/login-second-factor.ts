// The second sign-in step: a challenge from login, and a TOTP code or a recovery code. Wrong
// answers count toward the account's throttle like wrong passwords, and the challenge dies after
// five of them or five minutes. Only a right answer creates a session.
import { failChallenge, findChallenge, MAX_CHALLENGE_ATTEMPTS, spendChallenge } from "@/lib/auth/login-challenges";
import { RECOVERY_CODES_LOW } from "@/lib/auth/recovery-codes";
import { checkFactor, type FactorAnswer, secondFactorsOf } from "@/lib/auth/second-factors";
import { toSessionUser } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "../meta";
import { completeSignIn, type LoginResult } from "./login";
import { tooManyAttempts } from "./too-many-attempts";

export type SecondFactorInput = { challenge: string; answer: FactorAnswer; device?: string; meta: RequestMeta };
export type SecondFactorResult = LoginResult & { recoveryCodesLeft?: number };

const invalidCode = () => new AppError("invalid_code");

export async function loginSecondFactor(deps: Deps, input: SecondFactorInput): Promise<SecondFactorResult> {
  const live = await findChallenge(deps, input.challenge, "second_factor");
  const user = live?.userId
    ? await deps.db.user.findUnique({
        where: { id: live.userId },
        select: { id: true, username: true, email: true, emailVerifiedAt: true, role: true, createdAt: true, disabled: true },
      })
    : null;
  if (!live || !user || user.disabled) throw invalidCode();
  // trustedDevice: false: a known browser is exempt from the account rule for passwords, never for codes.
  const key = { address: input.meta.address, account: user.username, trustedDevice: false };
  const attempt = await deps.throttle.loginAttempt(key, async () => {
    const check = await checkFactor(deps, user.id, input.answer);
    return { outcome: check.ok ? "success" : "failure", value: check };
  });
  const event = { userId: user.id, ...input.meta, subject: user.username };
  if (!attempt.allowed) {
    await deps.audit.record({ type: "login_throttled", ...event, detail: { rule: attempt.rule, step: "second_factor" } });
    throw tooManyAttempts(attempt.retryAfterSeconds);
  }
  const check = attempt.value;
  if (!check.ok) {
    await failChallenge(deps, live.id);
    const method = "code" in input.answer ? "totp" : "recovery_code";
    await deps.audit.record({ type: "second_factor_failed", ...event, detail: { method, attempt: live.attempts + 1 } });
    const left = MAX_CHALLENGE_ATTEMPTS - live.attempts - 1;
    throw new AppError("invalid_code", left > 0 ? {} : { message: "Too many wrong codes. Sign in again to get a new chance." });
  }
  if (!(await spendChallenge(deps, live.id))) throw invalidCode();
  if (check.method === "recovery_code") {
    await deps.audit.record({ type: "recovery_code_used", ...event, detail: { left: check.recoveryCodesLeft } });
  }
  const factors = await secondFactorsOf(deps.db, user.id);
  const result = await completeSignIn(deps, {
    user: toSessionUser(user),
    device: input.device,
    meta: input.meta,
    factors,
    method: "second_factor",
  });
  const low = check.method === "recovery_code" && (check.recoveryCodesLeft ?? 0) <= RECOVERY_CODES_LOW;
  return low ? { ...result, recoveryCodesLeft: check.recoveryCodesLeft } : result;
}
