// The colour-scheme choice: a cookie the page can read before its first paint. Not a credential,
// so it is readable by the page script that sets it, and carries no prefix or HttpOnly flag.

export const THEME_COOKIE = "latchkey_theme";
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

/** A year: the choice outlives sessions and is renewed each time it is made. */
export const THEME_MAX_AGE = 60 * 60 * 24 * 365;

export function parseTheme(value: unknown): Theme {
  return value === "light" || value === "dark" ? value : "system";
}

/** The Set-Cookie value for a choice; "system" clears the cookie, so the default stays the default. */
export function themeCookie(theme: Theme, secure: boolean): string {
  const maxAge = theme === "system" ? 0 : THEME_MAX_AGE;
  const value = theme === "system" ? "" : theme;
  return `${THEME_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/**
 * Where to send a form post back to: the page's own `next` path, else a same-origin Referer,
 * else home. Only paths on this origin, so the endpoint is no open redirect.
 */
export function themeReturnPath(next: unknown, referer: string | null, origin: string): string {
  if (typeof next === "string" && isLocalPath(next)) return next;
  if (referer) {
    try {
      const url = new URL(referer);
      if (url.origin === origin) return `${url.pathname}${url.search}`;
    } catch {
      // An unparsable Referer is simply ignored.
    }
  }
  return "/";
}

function isLocalPath(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\") && !/[\r\n]/.test(path);
}
