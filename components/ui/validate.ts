// Local validation for forms: the same zod schemas the route handlers parse with, so a form never
// refuses what the server accepts, and shows every problem at once instead of one per submit.
// Pure (no React), so it is unit-tested in node.
import type { z } from "zod";
import { fieldErrors, passwordMentionsUsername } from "@/lib/validation/fields";
import type { FieldErrors } from "./use-api-form";

/** A rule the body schema cannot hold (it needs a value that is not sent): field, whether it failed, message. */
export type ExtraCheck = readonly [field: string, failed: boolean, message: string];

/**
 * The handler's wording is "Password must not contain your username."; a form words it as advice,
 * which e2e/auth.spec.ts asserts.
 */
export const USERNAME_IN_PASSWORD_ADVICE = "Don't include your username in your password.";

/** Every field problem in `values`: the schema's messages first, then the failed extra checks. Empty when valid. */
export function validateFields(schema: z.ZodType, values: unknown, extra: readonly ExtraCheck[] = []): FieldErrors {
  const result = schema.safeParse(values);
  const errors: FieldErrors = result.success ? Object.create(null) : fieldErrors(result.error);
  for (const [field, failed, message] of extra) {
    if (!failed) continue;
    const list = (errors[field] ??= []);
    if (!list.includes(message)) list.push(message);
  }
  return errors;
}

/** The server's contains-username rule (lib/validation/password-rules.ts) for a new-password field. */
export function usernameInPasswordCheck(field: string, password: string, username: string): ExtraCheck {
  return [field, passwordMentionsUsername(password, username), USERNAME_IN_PASSWORD_ADVICE];
}

export function hasFieldErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}
