// Server-side only: the dictionaries below are megabytes. Not marked with `import "server-only"`
// because the user CLI (tsx) and vitest load it outside Next's react-server condition.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as zxcvbnCommon from "@zxcvbn-ts/language-common";
import * as zxcvbnEn from "@zxcvbn-ts/language-en";
import { PASSWORD_MAX_LENGTH } from "@/lib/validation/account-fields";
import { PASSWORD_MENTIONS_USERNAME_MESSAGE, PERSONAL_WORD_MIN_LENGTH, passwordMentionsUsername } from "@/lib/validation/password-rules";
import { codePointLength, foldIdentifier, hasControlChars, isWellFormedText } from "@/lib/validation/text";

export type PasswordPolicyContext = { username: string; email?: string | null; minLength: number };

// zxcvbn score 3 = "safely unguessable: moderate protection from offline slow-hash scenario".
const MIN_SCORE = 3;

// Building the ranked dictionaries takes ~0.2–0.3 s, so it happens on the first check, not at
// import. The two limits bound the work per check, which runs on the main thread: with zxcvbn's
// defaults a random 128-character password took 0.9–1.6 s here, with these ~40 ms (max ~60 ms).
// Analysing only the first 64 characters can only under-estimate strength, never pass a weak
// password; 3 l33t substitutions scored a set of l33t-speak passwords exactly as 100 did.
let zxcvbn: ZxcvbnFactory | undefined;
let common: Set<string> | undefined;

function estimator(): ZxcvbnFactory {
  return (zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
    l33tMaxSubstitutions: 3,
    maxLength: 64,
  }));
}

function commonPasswords(): Set<string> {
  return (common ??= new Set(zxcvbnCommon.dictionary["passwords-common"]));
}

/** Builds the estimator ahead of time (e.g. at server start) so the first sign-up is not slower. */
export function warmPasswordPolicy(): void {
  estimator();
  commonPasswords();
}

function emailLocalPart(email: string | null | undefined): string | null {
  if (!email) return null;
  const folded = foldIdentifier(email);
  const at = folded.lastIndexOf("@");
  const local = at >= 0 ? folded.slice(0, at) : folded;
  return codePointLength(local) >= PERSONAL_WORD_MIN_LENGTH ? local : null;
}

/**
 * Why a new password is refused, as sentences a person can act on; empty when it is acceptable.
 * NIST SP 800-63B-4: length bounds, a blocklist of common/breached values and context-specific
 * words, and no composition rules.
 */
export function checkPasswordPolicy(password: string, ctx: PasswordPolicyContext): string[] {
  const problems: string[] = [];
  const length = codePointLength(password);
  const folded = foldIdentifier(password);
  const username = foldIdentifier(ctx.username);
  const local = emailLocalPart(ctx.email);

  if (length < ctx.minLength) problems.push(`Password must be at least ${ctx.minLength} characters.`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`Password must be at most ${PASSWORD_MAX_LENGTH} characters.`);
  // The schemas refuse these already; repeated because the CLI reaches this without a schema.
  if (hasControlChars(password)) problems.push("Password must not contain control characters (such as NUL or line breaks).");
  if (!isWellFormedText(password)) problems.push("Password contains an invalid character.");
  if (passwordMentionsUsername(password, ctx.username)) problems.push(PASSWORD_MENTIONS_USERNAME_MESSAGE);
  if (local && folded.includes(local)) problems.push("Password must not contain the name part of your email address.");
  if (problems.length > 0) return problems;

  if (commonPasswords().has(folded)) {
    return ["This password is on a list of common or breached passwords. Choose another."];
  }
  // Estimated on the NFKC form, which is what gets hashed: "ｐａｓｓｗｏｒｄ" is "password".
  const result = estimator().check(password.normalize("NFKC"), [username, ...(local ? [local] : [])]);
  if (result.score < MIN_SCORE) {
    const { warning, suggestions } = result.feedback;
    problems.push(["Password is too easy to guess.", warning, ...suggestions].filter(Boolean).join(" "));
  }
  return problems;
}
