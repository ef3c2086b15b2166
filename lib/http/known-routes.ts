// Which addresses the build has a page or route for, read from <distDir>/app-path-routes-manifest.json
// (every page, route handler and metadata file of app/, route groups left out) and public/. server.ts
// sends a signed-out visit to any other address to the prerendered 404 page instead of letting
// Next route it and render its not-found page per request (docs/decisions/0020-prerendered-pages.md).
// Cautious by construction: whatever it cannot be sure of (an encoded character, a trailing slash
// Next redirects, Next's own /_ paths, the API, the guarded pages whose middleware sends a
// signed-out visit to sign in) is "not unknown", and Next decides as before. Node only.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isUnder } from "@/lib/edge/csp";
import { PRERENDERED_PREFIX } from "@/lib/edge/prerendered";
import { PROTECTED_PAGES } from "@/lib/edge/protected";

export const ROUTES_MANIFEST = "app-path-routes-manifest.json";

const LEFT_TO_NEXT = ["/api", "/_next", PRERENDERED_PREFIX, ...PROTECTED_PAGES];

/** "/admin/users/[id]" → a pattern for the paths it serves; [x] is one segment, [...x] one or more, [[...x]] none or more. */
export function routePattern(route: string): RegExp {
  const parts = route
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      if (/^\[\[\.\.\.[^\]]+\]\]$/.test(segment)) return "(?:/[^/]+)*";
      if (/^\[\.\.\.[^\]]+\]$/.test(segment)) return "(?:/[^/]+)+";
      if (/^\[[^\]]+\]$/.test(segment)) return "/[^/]+";
      return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
    });
  return new RegExp(`^${parts.join("") || "/"}$`);
}

/** A test for "no page, route or public file has this path", from the build's routes and the public files. */
export function unknownAddressTest(routes: string[], publicFiles: string[] = []): (pathname: string) => boolean {
  const exact = new Set([...routes.filter((r) => !r.includes("[")), ...publicFiles]);
  const patterns = routes.filter((r) => r.includes("[")).map(routePattern);
  return (pathname) => {
    if (pathname === "/" || !pathname.startsWith("/") || pathname.endsWith("/")) return false;
    if (pathname.includes("%") || pathname.includes("\\") || pathname.includes("//") || pathname.startsWith("/_")) return false;
    if (isUnder(pathname, LEFT_TO_NEXT)) return false;
    if (exact.has(pathname)) return false;
    return !patterns.some((p) => p.test(pathname));
  };
}

function publicFiles(root: string): string[] {
  const dir = path.join(root, "public");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `/${path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/")}`);
}

/** The test for this build, or undefined (no address taken for unknown) when the manifest is missing. */
export function loadUnknownAddressTest(distDir: string, root: string): ((pathname: string) => boolean) | undefined {
  const file = path.join(distDir, ROUTES_MANIFEST);
  if (!existsSync(file)) return undefined;
  const routes = Object.values(JSON.parse(readFileSync(file, "utf8")) as Record<string, string>);
  return unknownAddressTest(routes, publicFiles(root));
}
