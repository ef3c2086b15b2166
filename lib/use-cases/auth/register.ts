// Self-service sign-up: counted per address first, then every field is checked together (shape,
// password policy and whether the username or email is free), so a person learns every problem
// from one submit instead of one per attempt; then the account is created.
import { checkPasswordPolicy } from "@/lib/auth/password-policy";
import type { SessionUser } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import { fieldErrors, OptionalEmailSchema, registerBodySchema, UsernameSchema } from "@/lib/validation/fields";
import { mailVerificationLink } from "../account/send-verification";
import type { RequestMeta } from "../meta";
import { createAccount } from "./create-account";
import { tooManyAttempts } from "./too-many-attempts";

export type RegisterInput = {
  /**
   * The submitted object, not yet validated. Read only once the address has passed the throttle,
   * so a flood of malformed sign-ups counts like any other and cannot probe the limit for free.
   */
  fields: () => Promise<unknown>;
  meta: RequestMeta;
};

type Problems = Record<string, string[]>;

const USERNAME_TAKEN = "That username is already taken.";
const EMAIL_TAKEN = "That email address is already in use.";
const EMAIL_REQUIRED = "Enter your email address: this service confirms every account by email.";

export async function register(deps: Deps, input: RegisterInput): Promise<SessionUser> {
  const verdict = await deps.throttle.registration(input.meta.address);
  if (!verdict.allowed) {
    await deps.audit.record({ type: "registration_throttled", ...input.meta, detail: { rule: verdict.rule } });
    throw tooManyAttempts(verdict.retryAfterSeconds, "Too many sign-ups from this network. Try again later.");
  }
  const raw = await input.fields();
  const parsed = registerBodySchema(deps.config.PASSWORD_MIN_LENGTH).safeParse(raw);
  const invalid: Problems = parsed.success ? Object.create(null) : fieldErrors(parsed.error);
  const values = (raw ?? {}) as Record<string, unknown>;
  // Each field on its own, so one bad field does not hide the state of the others.
  const username = UsernameSchema.safeParse(values.username).data;
  const email = OptionalEmailSchema.safeParse(values.email).data;
  const password = typeof values.password === "string" ? values.password : null;

  if (deps.config.EMAIL_VERIFICATION === "required" && !email && !invalid.email) add(invalid, "email", EMAIL_REQUIRED);
  let weak = false;
  if (password !== null && !invalid.password) {
    const problems = checkPasswordPolicy(password, { username: username ?? "", email, minLength: deps.config.PASSWORD_MIN_LENGTH });
    for (const p of problems) add(invalid, "password", p);
    weak = problems.length > 0;
  }

  const taken: Problems = Object.create(null);
  const [usernameTaken, emailTaken] = await Promise.all([
    username ? exists(deps, { username }) : false,
    email ? exists(deps, { email }) : false,
  ]);
  if (usernameTaken) add(taken, "username", USERNAME_TAKEN);
  if (emailTaken) add(taken, "email", EMAIL_TAKEN);

  if (Object.keys(invalid).length > 0) {
    // SPEC: 422 when any field is invalid; a taken name rides along in its field.
    const fields = merge(invalid, taken);
    const onlyPolicy = weak && parsed.success && Object.keys(invalid).length === 1;
    if (onlyPolicy) throw new AppError("weak_password", { message: invalid.password?.[0], fields });
    throw new AppError("validation_failed", { fields });
  }
  if (usernameTaken) throw new AppError("username_taken", { fields: taken });
  if (emailTaken) throw new AppError("email_taken", { fields: taken });
  if (!parsed.success) throw new AppError("validation_failed", { fields: invalid }); // Unreachable: narrows the type.

  // createAccount still maps a unique violation to username_taken/email_taken: two sign-ups of
  // one name can both pass the look-up above.
  const body = parsed.data;
  const user = await createAccount(deps, { username: body.username, email: body.email ?? null, password: body.password, meta: input.meta });
  if (user.email) await mailVerificationLink(deps, { userId: user.id, meta: input.meta });
  return user;
}

async function exists(deps: Deps, where: { username: string } | { email: string }): Promise<boolean> {
  return (await deps.db.user.findFirst({ where, select: { id: true } })) !== null;
}

function add(problems: Problems, field: string, message: string): void {
  const list = (problems[field] ??= []);
  if (!list.includes(message)) list.push(message);
}

function merge(a: Problems, b: Problems): Problems {
  const out: Problems = Object.create(null);
  for (const source of [a, b]) for (const [field, messages] of Object.entries(source)) for (const m of messages) add(out, field, m);
  return out;
}
