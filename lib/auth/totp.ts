// TOTP (RFC 6238): 6 digits, 30-second steps, SHA-1 as every authenticator app expects. A code is
// checked against the current step and one step either side (clock drift, RFC 6238 §5.2), and
// the step it matched is returned so the caller can refuse a second use of it.
import { timingSafeEqual } from "node:crypto";
import { generateSecret, generateSync, generateURI } from "otplib";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const DRIFT_STEPS = 1;

export function newTotpSecret(): string {
  return generateSecret();
}

export function otpauthUri(secret: string, accountName: string): string {
  return generateURI({ issuer: "Latchkey", label: accountName, secret });
}

export function stepAt(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

export function codeForStep(secret: string, step: number): string {
  return generateSync({ secret, epoch: step * TOTP_PERIOD_SECONDS });
}

/** The step whose code `code` is, within ±1 step of `nowMs`, or null. */
export function matchTotp(secret: string, code: string, nowMs: number): number | null {
  const typed = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(typed)) return null;
  const current = stepAt(nowMs);
  let matched: number | null = null;
  // Every candidate is compared, in constant time, so timing does not say which step matched.
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
    if (timingSafeEqual(Buffer.from(codeForStep(secret, step)), Buffer.from(typed)) && matched === null) matched = step;
  }
  return matched;
}
