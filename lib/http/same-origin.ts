import { edgeConfig } from "@/lib/edge/config";

// OWASP CSRF cheat sheet: verify the source origin with standard headers. Browsers send Origin
// on every cross-site POST/PUT/PATCH/DELETE; when it is absent, Sec-Fetch-Site speaks for them.
// A request with neither header is not from a browser (curl, scripts), which cookies alone
// cannot be forged into, so it passes.
export function isSameOrigin(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin !== null) return origin === new URL(edgeConfig().appUrl).origin;
  const site = headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin" || site === "none";
  return true;
}
