// One catalogue of error codes → HTTP status and the sentence a person reads. Route handlers
// throw AppError; lib/http/respond.ts turns it into the SPEC's body {code, message, fields?}.

export const ERRORS = {
  malformed_json: [400, "The request body is not valid JSON."],
  bad_request: [400, "The request could not be understood."],
  unsupported_media_type: [415, "Send the body as application/json."],
  payload_too_large: [413, "The request body is larger than 16 KiB."],
  validation_failed: [422, "Some fields are not valid."],
  weak_password: [422, "Choose a different password."],
  invalid_credentials: [401, "The username or password is incorrect."],
  unauthenticated: [401, "Sign in to continue."],
  invalid_token: [401, "The access token is missing, invalid or expired."],
  invalid_refresh_token: [401, "The session has ended. Sign in again."],
  account_disabled: [403, "This account has been disabled."],
  second_factor_required: [401, "Enter the code from your authenticator app to finish signing in."],
  invalid_code: [401, "That code is not right, or was already used. Try the current one."],
  second_factor_enrollment_required: [403, "Administrators must set up a second factor first."],
  email_unverified: [403, "Confirm your email address before signing in. We sent you a new link."],
  reauthentication_required: [403, "Confirm it's you: enter your password again to continue."],
  forbidden: [403, "You do not have permission to do this."],
  cross_site_request: [403, "Cross-site requests are not allowed."],
  not_found: [404, "Not found."],
  method_not_allowed: [405, "This method is not allowed here."],
  username_taken: [409, "That username is already taken."],
  email_taken: [409, "That email address is already in use."],
  last_admin: [409, "This would leave no active administrator."],
  cannot_delete_self: [409, "You cannot delete your own account here."],
  cannot_change_self: [409, "You cannot disable or demote your own account. Ask another administrator."],
  cannot_impersonate: [409, "Administrators and disabled accounts cannot be impersonated."],
  not_impersonating: [409, "This session is not impersonating anyone."],
  totp_already_enabled: [409, "An authenticator app is already set up. Remove it first to set up another."],
  totp_not_enabled: [409, "No authenticator app is set up for this account."],
  already_verified: [409, "This email address is already confirmed."],
  no_email: [409, "This account has no email address."],
  conflict: [409, "The request conflicts with the current state. Try again."],
  too_many_attempts: [429, "Too many attempts. Try again later."],
  service_unavailable: [503, "The service is temporarily unavailable. Try again shortly."],
  internal_error: [500, "Something went wrong on our side."],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields?: Record<string, string[]>;
  readonly headers?: Record<string, string>;
  /** Extra members of the error body the SPEC gives some codes (the second-factor challenge). */
  readonly extra?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    opts: {
      message?: string;
      fields?: Record<string, string[]>;
      headers?: Record<string, string>;
      status?: number;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    const [status, message] = ERRORS[code];
    super(opts.message ?? message);
    this.code = code;
    // Only where the SPEC gives one code two meanings: `invalid_token` is 401 for an access token
    // and 400 for a mailed link (lib/auth/account-tokens.ts).
    this.status = opts.status ?? status;
    this.fields = opts.fields;
    this.headers = opts.headers;
    this.extra = opts.extra;
  }

  toBody(): { code: ErrorCode; message: string; fields?: Record<string, string[]> } & Record<string, unknown> {
    const body = { code: this.code, message: this.message, ...this.extra };
    return this.fields ? { ...body, fields: this.fields } : body;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
