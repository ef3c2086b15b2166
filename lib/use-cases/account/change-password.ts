// Changes the password after checking the current one, and ends every other session. Every field
// is checked together (the body's rules, the password policy and the current password), so one
// submit reports every problem instead of the current password first and the new one after.
import { voidAccountTokens } from "@/lib/auth/account-tokens";
import { checkPasswordPolicy } from "@/lib/auth/password-policy";
import { revokeSessions } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import { changePasswordBodySchema, existingPasswordSchema, fieldErrors } from "@/lib/validation/fields";
import type { RequestMeta } from "../meta";

export type ChangePasswordInput = {
  userId: string;
  sessionId: string;
  /** The submitted object, not yet validated: `{currentPassword, newPassword}`. */
  body: unknown;
  /**
   * Problems the caller found in fields the API never receives (the form's confirmation): they
   * are reported with the rest, and any of them stops the change.
   */
  otherProblems?: Record<string, string[]>;
  meta: RequestMeta;
};

type Problems = Record<string, string[]>;

const INCORRECT = "The current password is incorrect.";
const SAME = "The new password must differ from the current one.";
const CURRENT = existingPasswordSchema("Current password");

export async function changePassword(deps: Deps, input: ChangePasswordInput): Promise<void> {
  const { db, hasher } = deps;
  const parsed = changePasswordBodySchema(deps.config.PASSWORD_MIN_LENGTH).safeParse(input.body);
  const invalid: Problems = parsed.success ? Object.create(null) : fieldErrors(parsed.error);
  for (const [field, messages] of Object.entries(input.otherProblems ?? {})) for (const m of messages) add(invalid, field, m);
  const values = (typeof input.body === "object" && input.body !== null ? input.body : {}) as Record<string, unknown>;
  const current = CURRENT.safeParse(values.currentPassword).data;
  const newPassword = typeof values.newPassword === "string" ? values.newPassword : null;

  const user = await db.user.findUnique({ where: { id: input.userId }, select: { username: true, email: true, passwordHash: true } });
  // Checked whatever else is wrong, so a wrong current password is never the second surprise.
  const currentRight = user !== null && current !== undefined && (await hasher.verify(current, user.passwordHash));
  const currentWrong = current !== undefined && !currentRight;

  let weak = false;
  if (user && newPassword !== null && !invalid.newPassword) {
    const problems = checkPasswordPolicy(newPassword, {
      username: user.username,
      email: user.email,
      minLength: deps.config.PASSWORD_MIN_LENGTH,
    });
    for (const p of problems) add(invalid, "newPassword", p);
    weak = problems.length > 0;
    // Only once the current password is proven: otherwise this would say whether a guess is the password.
    if (!weak && currentRight && (await hasher.verify(newPassword, user.passwordHash))) add(invalid, "newPassword", SAME);
  }

  if (Object.keys(invalid).length > 0) {
    // 422 whenever a field must change, a wrong current password riding along in its field; the
    // 401 below is kept for the one case where the current password is the only problem.
    if (currentWrong) add(invalid, "currentPassword", INCORRECT);
    const onlyPolicy = weak && parsed.success && !currentWrong && Object.keys(invalid).length === 1;
    if (onlyPolicy) throw new AppError("weak_password", { message: invalid.newPassword?.[0], fields: invalid });
    throw new AppError("validation_failed", { fields: invalid });
  }
  if (!currentRight || !parsed.success) {
    throw new AppError("invalid_credentials", { message: INCORRECT, fields: { currentPassword: [INCORRECT] } });
  }

  const passwordHash = await hasher.hash(parsed.data.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: input.userId },
      data: { passwordHash, passwordChangedAt: deps.clock.now() },
      select: { id: true },
    });
    await revokeSessions(
      { db: tx, clock: deps.clock, sessionCache: deps.sessionCache },
      { userId: input.userId, exceptSessionId: input.sessionId },
      "password_changed",
    );
    // SPEC: a password change voids every outstanding reset link.
    await voidAccountTokens({ db: tx, clock: deps.clock }, input.userId, ["password_reset"]);
  });
  await deps.audit.record({ type: "password_changed", userId: input.userId, actorId: input.userId, ...input.meta });
}

function add(problems: Problems, field: string, message: string): void {
  const list = (problems[field] ??= []);
  if (!list.includes(message)) list.push(message);
}
