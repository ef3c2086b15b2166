// Passkeys (WebAuthn, SPEC "Passkeys"): the relying party, the ceremony challenges and checking
// a sign-in assertion. The relying party id is APP_URL's host, its origin APP_URL's origin: a
// response made for another site, or on another origin, is refused by the verification.
// Every ceremony's WebAuthn challenge is kept in a LoginChallenge (login-challenges.ts): single
// use, five minutes. Callers spend it before verifying, so two concurrent uses cannot both pass.
import { type AuthenticationResponseJSON, verifyAuthenticationResponse } from "@simplewebauthn/server";
import { isoBase64URL, isoUint8Array } from "@simplewebauthn/server/helpers";
import UAParser from "ua-parser-js";
import type { Config } from "@/lib/config";
import type { Deps } from "@/lib/deps";
import { type ChallengeKind, findChallenge, type LiveChallenge } from "./login-challenges";

export const RP_NAME = "Latchkey";
/** How many passkeys one account may hold. */
export const MAX_PASSKEYS = 25;

const TRANSPORTS = new Set(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]);
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** A credential id is at most 1023 bytes (WebAuthn §5.8.3): 1364 base64url characters. */
const MAX_CREDENTIAL_ID_LENGTH = 1364;

export type RelyingParty = { name: string; id: string; origin: string };

export function relyingParty(config: Pick<Config, "APP_URL">): RelyingParty {
  const url = new URL(config.APP_URL);
  return { name: RP_NAME, id: url.hostname, origin: url.origin };
}

/** The WebAuthn user handle of an account: its id's bytes (never the username, which may change). */
export function userHandleOf(userId: string) {
  return isoUint8Array.fromUTF8String(userId);
}

export function isCredentialId(value: string): boolean {
  return value.length <= MAX_CREDENTIAL_ID_LENGTH && BASE64URL.test(value);
}

export type PasskeyDto = { id: string; name: string; createdAt: string; lastUsedAt: string | null };

export const PASSKEY_DTO_SELECT = { id: true, name: true, createdAt: true, lastUsedAt: true } as const;

export function toPasskeyDto(row: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }): PasskeyDto {
  return { id: row.id, name: row.name, createdAt: row.createdAt.toISOString(), lastUsedAt: row.lastUsedAt?.toISOString() ?? null };
}

/** "Passkey on macOS" from the browser that made it, else "Passkey"; " 2", " 3"… when the account already has one so named. */
export function defaultPasskeyName(userAgent: string | null, taken: readonly string[]): string {
  const parsed = userAgent ? new UAParser(userAgent).getResult().os.name : undefined;
  const os = parsed === "Mac OS" ? "macOS" : parsed;
  const base = os ? `Passkey on ${os}` : "Passkey";
  const names = new Set(taken.map((n) => n.toLowerCase()));
  if (!names.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) if (!names.has(`${base} ${n}`.toLowerCase())) return `${base} ${n}`;
}

/** The transports an authenticator reported, as stored ("internal,hybrid"); unknown values are dropped. */
export function storedTransports(list: readonly string[] | undefined): string | null {
  const known = [...new Set(list ?? [])].filter((t) => TRANSPORTS.has(t));
  return known.length > 0 ? known.join(",") : null;
}

export function transportsOf(stored: string | null): string[] | undefined {
  return stored ? stored.split(",") : undefined;
}

/** The WebAuthn challenge a response answers (clientDataJSON.challenge), or null when unreadable. */
export function answeredChallenge(clientDataJSON: string): string | null {
  try {
    const data: unknown = JSON.parse(isoBase64URL.toUTF8String(clientDataJSON));
    const challenge = data && typeof data === "object" ? (data as { challenge?: unknown }).challenge : undefined;
    return typeof challenge === "string" && challenge.length <= 200 && BASE64URL.test(challenge) ? challenge : null;
  } catch {
    return null;
  }
}

/**
 * The live ceremony a response belongs to: by the `challengeId` handed out with the options or,
 * when a client sends none (SPEC: it is optional), by the WebAuthn challenge the response answers.
 * Null when unknown, of another kind, used or expired.
 */
export async function findCeremony(
  deps: Pick<Deps, "db" | "clock">,
  kind: Extract<ChallengeKind, "passkey_registration" | "passkey_login">,
  input: { challengeId?: string; clientDataJSON: string },
): Promise<LiveChallenge | null> {
  if (input.challengeId !== undefined) return findChallenge(deps, input.challengeId, kind);
  const webauthn = answeredChallenge(input.clientDataJSON);
  if (!webauthn) return null;
  const row = await deps.db.loginChallenge.findFirst({
    where: { kind, webauthn, usedAt: null, expiresAt: { gt: deps.clock.now() } },
    select: { id: true, userId: true, webauthn: true, attempts: true },
  });
  return row;
}

export type AssertionFailure = "unknown_credential" | "user_mismatch" | "bad_signature" | "counter_regression";
export type AssertionCheck = { ok: true; passkeyId: string; userId: string } | { ok: false; reason: AssertionFailure; userId?: string };

/**
 * Checks a sign-in assertion against the stored passkey and the ceremony's challenge: signature,
 * origin, relying party, user presence and verification, then the signature counter. A counter
 * that does not go up, when either it or the stored one is non-zero (WebAuthn §7.2 step 21), is
 * a sign of a cloned authenticator and is refused. A good assertion moves the counter and
 * lastUsedAt, with a compare-and-swap so two racing uses of one counter value cannot both pass.
 */
export async function checkAssertion(
  deps: Pick<Deps, "db" | "clock" | "config">,
  input: { response: AuthenticationResponseJSON; expectedChallenge: string },
): Promise<AssertionCheck> {
  const { response } = input;
  if (!isCredentialId(response.id)) return { ok: false, reason: "unknown_credential" };
  const passkey = await deps.db.passkey.findUnique({
    where: { id: response.id },
    select: { id: true, userId: true, publicKey: true, counter: true, transports: true },
  });
  if (!passkey) return { ok: false, reason: "unknown_credential" };
  const { userId } = passkey;
  const handle = response.response.userHandle;
  if (handle && handle !== isoBase64URL.fromUTF8String(userId)) return { ok: false, reason: "user_mismatch", userId };
  const rp = relyingParty(deps.config);
  let newCounter: number;
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // The counter is checked below, after the signature, so that only a genuine assertion can say "cloned".
      credential: {
        id: passkey.id,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: 0,
        transports: transportsOf(passkey.transports),
      },
      // A passkey sign-in stands in for the password and the second factor: the authenticator must verify the person.
      requireUserVerification: true,
    });
    if (!verified.verified) return { ok: false, reason: "bad_signature", userId };
    newCounter = verified.authenticationInfo.newCounter;
  } catch {
    return { ok: false, reason: "bad_signature", userId };
  }
  if ((newCounter > 0 || passkey.counter > 0) && newCounter <= passkey.counter) return { ok: false, reason: "counter_regression", userId };
  const { count } = await deps.db.passkey.updateMany({
    where: { id: passkey.id, counter: passkey.counter },
    data: { counter: newCounter, lastUsedAt: deps.clock.now() },
  });
  if (count !== 1) return { ok: false, reason: "counter_regression", userId };
  return { ok: true, passkeyId: passkey.id, userId };
}
