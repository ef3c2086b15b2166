// Issuer/audience and token lifetimes, read straight from process.env so the Edge middleware can
// use them without the Node-side env parser's defaults drifting apart.
import { parseDuration } from "@/lib/duration";

export function appUrl(): string {
  const port = process.env.PORT || "3000";
  return (process.env.APP_URL || `http://localhost:${port}`).replace(/\/+$/, "");
}

export function accessTokenTtlMs(): number {
  return parseDuration(process.env.ACCESS_TOKEN_TTL || "5m");
}

export const ACCESS_TOKEN_TYPE = "at+jwt";
export const CLOCK_SKEW_SECONDS = 30;
/** Longer than any token we issue; anything bigger is refused before parsing. */
export const MAX_TOKEN_LENGTH = 2048;
