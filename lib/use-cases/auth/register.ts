// Self-service sign-up: counted per address first, then the account is created.
import type { SessionUser } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { RegisterBody } from "@/lib/validation/fields";
import { mailVerificationLink } from "../account/send-verification";
import type { RequestMeta } from "../meta";
import { createAccount } from "./create-account";
import { tooManyAttempts } from "./too-many-attempts";

export type RegisterInput = {
  /**
   * Read only once the address has passed the throttle, so a flood of malformed sign-ups counts
   * like any other and cannot be used to probe the limit for free.
   */
  fields: () => Promise<RegisterBody>;
  meta: RequestMeta;
};

export async function register(deps: Deps, input: RegisterInput): Promise<SessionUser> {
  const verdict = await deps.throttle.registration(input.meta.address);
  if (!verdict.allowed) {
    await deps.audit.record({ type: "registration_throttled", ...input.meta, detail: { rule: verdict.rule } });
    throw tooManyAttempts(verdict.retryAfterSeconds, "Too many sign-ups from this network. Try again later.");
  }
  const body = await input.fields();
  if (deps.config.EMAIL_VERIFICATION === "required" && !body.email) {
    throw new AppError("validation_failed", {
      fields: { email: ["Enter your email address: this service confirms every account by email."] },
    });
  }
  const user = await createAccount(deps, { username: body.username, email: body.email ?? null, password: body.password, meta: input.meta });
  if (user.email) await mailVerificationLink(deps, { userId: user.id, meta: input.meta });
  return user;
}
