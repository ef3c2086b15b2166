import { z } from "zod";
import { codePointLength, foldIdentifier, hasInvisibleChars, isHighlyRestrictive, text } from "./text";

export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 32;
export const EMAIL_MAX_LENGTH = 254; // RFC 5321's path limit, less the angle brackets
export const PASSWORD_MAX_LENGTH = 128;

// Normalising rather than refusing: "ＡＬＩＣＥ" and "Alice" are the same account (SPEC: compared
// case-insensitively, stored lowercase). Surrounding spaces are not trimmed but refused by the
// character set, so nobody ends up with a name they did not type.
export const UsernameSchema = text("Username")
  .transform(foldIdentifier)
  .pipe(
    z
      .string()
      .min(USERNAME_MIN_LENGTH, `Username must be at least ${USERNAME_MIN_LENGTH} characters.`)
      .max(USERNAME_MAX_LENGTH, `Username must be at most ${USERNAME_MAX_LENGTH} characters.`)
      .regex(/^[a-z0-9_.-]*$/, "Username may only contain a–z, 0–9, underscore (_), dot (.) and hyphen (-)."),
  );

// zod's default email pattern is ASCII-only; after NFKC an internationalised address
// ("josé@exämple.de") is legitimate, so letters and digits of any script are allowed, and
// combining marks after a label's first letter (Devanagari and Thai vowel signs). The local
// part refuses what needs quoting; the domain needs a dot and an alphabetic TLD.
const LOCAL_PART = String.raw`(?!\.)(?!.*\.\.)[^\s@"(),:;<>[\]\\]{0,63}[^\s@"(),:;<>[\]\\.]`;
const DOMAIN_LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?`;
const EMAIL_PATTERN = new RegExp(String.raw`^${LOCAL_PART}@(?:${DOMAIN_LABEL}\.)+\p{L}[\p{L}\p{M}]{1,62}$`, "u");

// An email is an identity (docs/decisions/0011-email-identity.md): a zero-width joiner or a
// Cyrillic "а" among Latin letters would make a second account that looks like the first.
const identifierText = (label: string) =>
  text(label).refine((v) => !hasInvisibleChars(v), `${label} must not contain invisible characters.`);

/** The local part and each domain label must each pass UTS #39 "highly restrictive" on its own. */
function isSingleScriptAddress(email: string): boolean {
  const at = email.lastIndexOf("@");
  return [email.slice(0, at), ...email.slice(at + 1).split(".")].every(isHighlyRestrictive);
}

export const EmailSchema = identifierText("Email")
  .transform((v) => foldIdentifier(v).trim())
  .pipe(
    z
      .string()
      .max(EMAIL_MAX_LENGTH, `Email must be at most ${EMAIL_MAX_LENGTH} characters.`)
      .pipe(z.email({ pattern: EMAIL_PATTERN, error: "Enter a valid email address." }))
      .pipe(z.string().refine(isSingleScriptAddress, "Email mixes alphabets (for example Latin and Cyrillic); type it in one alphabet.")),
  );

/** For optional email fields: absent, null and "" (an empty form field) all mean "no email". */
export const OptionalEmailSchema = z.preprocess(
  (v) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v),
  EmailSchema.optional(),
);

/**
 * Login accepts a username or an email: fold both the same way and let the lookup decide.
 * Invisible characters are refused here too; mixed scripts are not: login only looks an account
 * up, and an address registered before that rule must still find its account.
 */
export const LoginIdentifierSchema = identifierText("Username or email")
  .transform((v) => foldIdentifier(v).trim())
  .pipe(
    z
      .string()
      .min(1, "Enter your username or email.")
      .max(EMAIL_MAX_LENGTH, `Username or email must be at most ${EMAIL_MAX_LENGTH} characters.`),
  );

/**
 * A new password: NIST SP 800-63B-4 length bounds counted in code points, every printable
 * character allowed, no composition rules, never trimmed or otherwise changed. Whether it
 * contains the username needs a second value (./password-rules.ts); whether it is common needs
 * megabytes of dictionaries, so that is lib/auth/password-policy.ts's job (server-only).
 */
export function passwordSchema(minLength: number, label = "Password") {
  return text(label)
    .refine((v) => codePointLength(v) >= minLength, {
      message: `${label} must be at least ${minLength} characters.`,
      abort: true,
    })
    .refine((v) => codePointLength(v) <= PASSWORD_MAX_LENGTH, `${label} must be at most ${PASSWORD_MAX_LENGTH} characters.`);
}

/** A password being checked, not set: no minimum, so a policy change never locks anyone out. */
export function existingPasswordSchema(label = "Password") {
  return text(label)
    .refine((v) => v.length > 0, { message: `${label} is required.`, abort: true })
    .refine((v) => codePointLength(v) <= PASSWORD_MAX_LENGTH, `${label} must be at most ${PASSWORD_MAX_LENGTH} characters.`);
}
