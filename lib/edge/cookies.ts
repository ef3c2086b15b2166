// Every cookie Latchkey sets, with its attributes, in one place. Edge-safe.
// __Host- requires Path=/, so the refresh cookie (Path=/api/auth, so it travels nowhere else)
// takes __Secure- instead; both prefixes only when APP_URL is https.
import { edgeConfig } from "./config";

export type CookieSpec = { name: string; path: string; httpOnly: true; sameSite: "lax"; secure: boolean };

function spec(base: string, path: string, prefix: "__Host-" | "__Secure-"): CookieSpec {
  const isSecure = edgeConfig().secureCookies;
  return { name: isSecure ? `${prefix}${base}` : base, path, httpOnly: true, sameSite: "lax", secure: isSecure };
}

export const accessCookie = (): CookieSpec => spec("latchkey_at", "/", "__Host-");
export const refreshCookie = (): CookieSpec => spec("latchkey_rt", "/api/auth", "__Secure-");
export const deviceCookie = (): CookieSpec => spec("latchkey_device", "/", "__Host-");
/**
 * While an admin impersonates someone, a refresh token of the admin's own session, set aside so
 * POST /api/auth/impersonation/stop can give the admin their session back. Scoped like the
 * refresh cookie, and it dies with the impersonation (docs/decisions/0015-impersonation.md).
 */
export const returnCookie = (): CookieSpec => spec("latchkey_return", "/api/auth", "__Secure-");

type Settable = { set(name: string, value: string, attrs: Record<string, unknown>): unknown };

export function setCookie(jar: Settable, cookie: CookieSpec, value: string, maxAgeSeconds: number): void {
  const { name, ...attrs } = cookie;
  jar.set(name, value, { ...attrs, maxAge: Math.max(0, Math.floor(maxAgeSeconds)) });
}

export function clearCookie(jar: Settable, cookie: CookieSpec): void {
  const { name, ...attrs } = cookie;
  jar.set(name, "", { ...attrs, maxAge: 0, expires: new Date(0) });
}
