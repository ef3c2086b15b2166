import { z } from "zod";

// C0 controls (NUL, line breaks, ESC...), DEL and C1 controls. None belongs in a name, an email
// or a password, and NUL in particular is where C libraries (and bcrypt) stop reading.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
// With the u flag a paired surrogate is one code point, so this matches only lone halves, which
// JSON escapes ("\ud800") can smuggle in and which UTF-8 encoding would silently turn into U+FFFD.
const LONE_SURROGATE = /\p{Cs}/u;

/** Length in Unicode code points, the unit NIST SP 800-63B counts (not UTF-16 code units). */
export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

export function hasControlChars(value: string): boolean {
  return CONTROL_CHARS.test(value);
}

export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** NFKC then lowercase: how names and emails are stored and compared (SPEC, "Accounts"). */
export function foldIdentifier(value: string): string {
  return value.normalize("NFKC").toLowerCase();
}

const typeError = (label: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `${label} is required.` : `${label} must be text.`;

/** A string that refuses control characters and lone surrogates, with the field's label in every message. */
export function text(label: string) {
  return z
    .string({ error: typeError(label) })
    .refine((v) => !hasControlChars(v), `${label} must not contain control characters (such as NUL or line breaks).`)
    .refine(isWellFormedText, `${label} contains an invalid character.`);
}

/** An optional query/body value where an empty string means "not given" (HTML forms send ""). */
export function blankAsUndefined(value: unknown): unknown {
  return value === null || (typeof value === "string" && value.trim() === "") ? undefined : value;
}
