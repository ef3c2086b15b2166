// Why a browser's session ended, as the sign-in page tells it. The stored reason never leaves the
// server: the refresh endpoint turns it into one of these short codes (in the address or a
// short-lived cookie), and the page shows only the fixed sentence for a code it knows. Nothing
// here says who ended the session or from where. Edge-safe.
import { accessCookie, type CookieSpec } from "@/lib/edge/cookies";

export const SESSION_ENDED_CODES = [
  "signed_out",
  "signed_out_everywhere",
  "other_device",
  "password_changed",
  "password_reset",
  "admin_password_reset",
  "account_disabled",
  "admin",
  "security",
  "expired",
  "impersonation_ended",
] as const;
export type SessionEndedCode = (typeof SESSION_ENDED_CODES)[number];

/** Keyed by RevocationReason (lib/auth/session-store.ts); a test checks that every reason has a code. */
export const CODE_FOR_REASON: Record<string, SessionEndedCode> = {
  logout: "signed_out",
  logout_everywhere: "signed_out_everywhere",
  signed_out_by_user: "other_device",
  password_changed: "password_changed",
  password_reset: "password_reset",
  admin_password_reset: "admin_password_reset",
  account_disabled: "account_disabled",
  revoked_by_admin: "admin",
  refresh_token_reuse: "security",
  expired: "expired",
  impersonation_ended: "impersonation_ended",
};

const SENTENCES: Record<SessionEndedCode, string> = {
  signed_out: "You have signed out.",
  signed_out_everywhere: "You were signed out because you signed out of every device.",
  other_device: "You were signed out because you signed out on another device.",
  password_changed: "You were signed out because your password was changed.",
  password_reset: "You were signed out because your password was reset.",
  admin_password_reset: "You were signed out because an administrator reset your password.",
  account_disabled: "You were signed out because an administrator disabled your account.",
  admin: "You were signed out because an administrator ended your sessions.",
  security:
    "You were signed out to protect your account: your sign-in was used from two places at once. If this keeps happening, change your password.",
  expired: "Your session expired. Sign in again to continue.",
  impersonation_ended: "You were signed out because the impersonation ended.",
};

/** The code for a stored reason, or null for anything unknown. */
export function sessionEndedCode(reason: string | null | undefined): SessionEndedCode | null {
  return reason && Object.hasOwn(CODE_FOR_REASON, reason) ? (CODE_FOR_REASON[reason] ?? null) : null;
}

/** The sentence for a code from the address or the cookie; anything else shows nothing. */
export function sessionEndedSentence(code: string | null | undefined): string | null {
  return code && (SESSION_ENDED_CODES as readonly string[]).includes(code) ? SENTENCES[code as SessionEndedCode] : null;
}

/** Only the person's own sign-out is good news; every other ending is worth a second look. */
export function isOwnSignOut(code: string | null | undefined): boolean {
  return code === "signed_out";
}

/**
 * The code's cookie, read by the sign-in page only. Page scripts refresh with a POST whose 401
 * must keep the SPEC's JSON body, so the code rides here to the /login page the script opens
 * next; page navigations put it in the address instead.
 */
export function endedCookie(): CookieSpec {
  const { secure } = accessCookie();
  return { name: secure ? "__Secure-latchkey_ended" : "latchkey_ended", path: "/login", httpOnly: true, sameSite: "lax", secure };
}
export const ENDED_MAX_AGE = 60;
