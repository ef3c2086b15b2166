"use server";
// Forgot, reset and change password as server actions, for forms posted without JavaScript
// (docs/decisions/0017-progressive-enhancement.md); the same use cases as the JSON routes.
import { redirect } from "next/navigation";
import { requireOwnPrincipal } from "@/lib/auth/authenticate";
import { deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import { changePassword } from "@/lib/use-cases/account/change-password";
import { requestPasswordReset } from "@/lib/use-cases/auth/request-password-reset";
import { resetPassword } from "@/lib/use-cases/auth/reset-password";
import { ForgotPasswordBodySchema, resetPasswordBodySchema } from "@/lib/validation/bodies";
import { actionRequest, failure, formErrors, secret, splitErrors, text } from "./action-support";
import { EMPTY_FORM, type FieldErrors, type ForgotState, type FormState, RESET_START, type ResetState } from "./form-state";

const RESET_SENT = "If that account exists and has an email address, a link to reset its password is on its way.";
const CHANGE_FIELDS = ["currentPassword", "newPassword", "confirmPassword"] as const;

export async function forgotPasswordAction(_prev: ForgotState, data: FormData): Promise<ForgotState> {
  const identifier = text(data, "identifier");
  const values = { identifier };
  const parsed = ForgotPasswordBodySchema.safeParse({ identifier });
  if (!parsed.success) return { ...EMPTY_FORM, values, sent: null, fields: formErrors(parsed.error) };
  const req = await actionRequest();
  try {
    await requestPasswordReset(deps(), { identifier: parsed.data.identifier, meta: req.meta });
  } catch (e) {
    return { values, sent: null, ...splitErrors(failure(e), ["identifier"]) };
  }
  return { ...EMPTY_FORM, sent: RESET_SENT };
}

export async function resetPasswordAction(_prev: ResetState, data: FormData): Promise<ResetState> {
  const d = deps();
  const parsed = resetPasswordBodySchema(d.config.PASSWORD_MIN_LENGTH).safeParse({
    token: text(data, "token"),
    password: secret(data, "password"),
  });
  if (!parsed.success) {
    const fields = formErrors(parsed.error);
    return fields.token ? { ...RESET_START, invalid: true } : { ...RESET_START, fields };
  }
  const req = await actionRequest();
  try {
    await resetPassword(d, { ...parsed.data, meta: req.meta });
  } catch (e) {
    const f = failure(e);
    if (f.code === "invalid_token" || f.fields.token) return { ...RESET_START, invalid: true };
    return { ...RESET_START, ...splitErrors(f, ["password"]) };
  }
  // Every session of the account has just ended: sign in afresh with the new password.
  redirect("/login?reset=1");
}

export async function changePasswordAction(_prev: FormState, data: FormData): Promise<FormState> {
  const d = deps();
  const newPassword = secret(data, "newPassword");
  const body = { currentPassword: secret(data, "currentPassword"), newPassword };
  // The confirmation is never sent to the API: the use case reports it with every other problem.
  const otherProblems: FieldErrors =
    secret(data, "confirmPassword") === newPassword ? {} : { confirmPassword: ["The two new passwords don't match."] };

  const req = await actionRequest();
  try {
    const me = await requireOwnPrincipal(d, req);
    await changePassword(d, { userId: me.user.id, sessionId: me.sessionId, body, otherProblems, meta: req.meta });
  } catch (e) {
    if (e instanceof AppError && (e.code === "unauthenticated" || e.code === "invalid_token")) redirect("/login?next=%2Faccount");
    return { ...EMPTY_FORM, ...splitErrors(failure(e), CHANGE_FIELDS) };
  }
  redirect("/account?password-changed=1");
}
