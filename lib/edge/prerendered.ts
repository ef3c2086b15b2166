// Which public pages are served from their prerendered copy (app/prerendered/[theme]/...), and
// which copy; /403 and addresses no page has get the status pages' copies. Only a plain GET by
// someone signed out, with no query and nothing per request to show: anything else (a ?next= to
// carry, a session-ended notice, a signed-in visitor to redirect, a form post) is rendered per
// request as before. Edge-safe (docs/decisions/0020-prerendered-pages.md).
import { endedCookie } from "@/lib/auth/session-ended";
import { parseTheme, THEME_COOKIE } from "@/lib/theme/theme";
import { accessCookie } from "./cookies";

/** The internal prefix of the prerendered copies; never served at its own address. */
export const PRERENDERED_PREFIX = "/prerendered";

/** PASSWORD_MIN_LENGTH's default, which the prerendered sign-up page states. */
export const DEFAULT_PASSWORD_MIN_LENGTH = 15;

export type PageRequest = {
  method: string;
  nextUrl: { pathname: string; searchParams: URLSearchParams };
  cookies: { get(name: string): { value: string } | undefined; has(name: string): boolean };
};

/**
 * The settings the copies depend on: they were built for each value, or only for the default.
 * `unknownAddress` says whether the build has no page or route at a path (lib/http/known-routes.ts);
 * without it, no address is taken for unknown.
 */
export type PrerenderedSettings = { passwordMinLength: number; mailEnabled: boolean; unknownAddress?: (pathname: string) => boolean };

/** The status a copy is sent with: the status pages keep theirs, the rest are 200. */
export function prerenderedStatus(copy: string): number {
  if (copy.endsWith("/forbidden")) return 403;
  if (copy.endsWith("/missing")) return 404;
  return 200;
}

/** The internal path of the prerendered copy to serve for this request, or null to render it now. */
export function prerenderedPath(req: PageRequest, settings: PrerenderedSettings): string | null {
  if (req.method !== "GET" && req.method !== "HEAD") return null;
  // _rsc only keys the browser's cache of a client navigation's payload.
  for (const key of req.nextUrl.searchParams.keys()) if (key !== "_rsc") return null;
  if (req.cookies.has(accessCookie().name)) return null;
  const base = `${PRERENDERED_PREFIX}/${parseTheme(req.cookies.get(THEME_COOKIE)?.value)}`;
  switch (req.nextUrl.pathname) {
    case "/":
      return `${base}/home`;
    case "/login":
      return req.cookies.has(endedCookie().name) ? null : `${base}/login`;
    case "/signup":
      return settings.passwordMinLength === DEFAULT_PASSWORD_MIN_LENGTH ? `${base}/signup` : null;
    case "/forgot-password":
      return `${base}/forgot-password/${settings.mailEnabled ? "on" : "off"}`;
    case "/403":
      return `${base}/forbidden`;
    default:
      return settings.unknownAddress?.(req.nextUrl.pathname) ? `${base}/missing` : null;
  }
}
