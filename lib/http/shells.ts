// Which visits server.ts sends to a filled shell (docs/decisions/0023-dashboard-shell.md): a plain
// GET or HEAD of /dashboard by someone with an access cookie, not the client router's flight-data
// request (an `RSC` header or `_rsc`), with no query, and not an impersonation (whose page shows a
// banner the shells do not have). The route it is sent to checks the token and the session itself,
// as the page does; everything else goes through the middleware as before. Node only.
import type { IncomingMessage, ServerResponse } from "node:http";
import { accessCookie } from "@/lib/edge/cookies";
import { API_CSP } from "@/lib/edge/csp";

/** The internal route that fills the dashboard's shell (app/prerendered/fill/dashboard). */
export const DASHBOARD_FILL = "/prerendered/fill/dashboard";

function cookieValue(header: string | undefined, name: string): string | null {
  for (const pair of (header ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return null;
}

/**
 * Whether the token's payload names an actor (`act`: an impersonation). Read without verifying:
 * it only decides which render answers, and both verify the token before showing anything.
 */
function namesActor(token: string): boolean {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    return typeof payload === "object" && payload !== null && "act" in payload;
  } catch {
    return false;
  }
}

/**
 * Rewrites req.url to the fill route and returns true for a visit a shell answers; false leaves it
 * alone. The route's answer carries its own CSP (the filled scripts' hashes), which Next would not
 * put over the API policy server.ts sets on every response: that one goes, and comes back for any
 * answer without a policy of its own (a redirect, an error).
 */
export function routeShell(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (req.url !== "/dashboard" || req.headers.rsc !== undefined) return false;
  const token = cookieValue(req.headers.cookie, accessCookie().name);
  if (!token || namesActor(token)) return false;
  req.url = DASHBOARD_FILL;
  res.removeHeader("content-security-policy");
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    if (res.getHeader("content-security-policy") === undefined) res.setHeader("content-security-policy", API_CSP);
    return writeHead(...args);
  }) as ServerResponse["writeHead"];
  return true;
}
