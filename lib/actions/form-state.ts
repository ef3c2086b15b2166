// What a server action hands back to its form when it does not redirect: the field errors, the
// rest in one message, and the typed values to put back (never a password). Shared by the
// actions (server) and the forms (client), so it holds types and constants only.

export type FieldErrors = Record<string, string[]>;

export type FormState = {
  fields: FieldErrors;
  message: string | null;
  /** "warning" for something to act on rather than a failure (an unconfirmed email address). */
  tone?: "error" | "warning";
  /** What was typed, to fill the fields again. */
  values: Record<string, string>;
};

export const EMPTY_FORM: FormState = { fields: {}, message: null, values: {} };

export type SecondStep = { challenge: string; username: string; method: "code" | "recovery_code" };

export type SignInState = FormState & { step: SecondStep | null };
export const SIGN_IN_START: SignInState = { ...EMPTY_FORM, step: null };

/** `sent`: the "check your mail" answer once a reset link was asked for. */
export type ForgotState = FormState & { sent: string | null };
export const FORGOT_START: ForgotState = { ...EMPTY_FORM, sent: null };

/** `invalid`: the reset link is expired, used or malformed. */
export type ResetState = FormState & { invalid: boolean };
export const RESET_START: ResetState = { ...EMPTY_FORM, invalid: false };
