import { foldIdentifier } from "./text";

// Context-specific password rules (NIST SP 800-63B-4) that need nothing but the strings involved,
// so a form can apply them before sending. The dictionary checks stay in lib/auth/password-policy.ts.

/** Shorter names or email name parts would refuse too much ("al" is in "always"). */
export const PERSONAL_WORD_MIN_LENGTH = 3;

/** The server's wording (lib/auth/password-policy.ts); a form may word it as advice instead. */
export const PASSWORD_MENTIONS_USERNAME_MESSAGE = "Password must not contain your username.";

/** True when the password contains the username, compared folded (case and compatibility forms). */
export function passwordMentionsUsername(password: string, username: string): boolean {
  const name = foldIdentifier(username);
  return name.length >= PERSONAL_WORD_MIN_LENGTH && foldIdentifier(password).includes(name);
}
