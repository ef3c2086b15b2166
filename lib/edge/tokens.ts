// Access tokens (RFC 9068 style, Edge-safe). Verification follows RFC 8725: the algorithm list is
// pinned, the key is chosen only by kid from our own ring (never from jwk/jku/x5u headers),
// typ is checked so other JWTs of ours cannot stand in, and exp/iss/aud are required.
import { base64url, decodeProtectedHeader, type JWTPayload, errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { edgeConfig } from "./config";
import { ALLOWED_ALGORITHMS, getKeyRing, type KeyRing } from "./keys";

export const ACCESS_TOKEN_TYPE = "at+jwt";
export const CLOCK_SKEW_SECONDS = 30;
/** Longer than any token we issue; anything bigger is refused before parsing. */
export const MAX_TOKEN_LENGTH = 2048;

export type Role = "user" | "admin";
/**
 * `act` (RFC 8693 actor) is present only in an impersonation session's tokens: the admin acting
 * as `sub`. Display only; the Node side reads the session's impersonatorId as the source of truth.
 */
export type AccessClaims = { sub: string; sid: string; role: Role; jti: string; iat: number; exp: number; act?: { sub: string } };

// Next bundles this module into several server chunks, and the verified-token cache shared on
// globalThis may be one chunk's while the caller is another's: `instanceof` must recognise every
// copy's TokenError, so it checks a process-wide brand, not the class identity.
const TOKEN_ERROR = Symbol.for("latchkey.TokenError");

export class TokenError extends Error {
  readonly [TOKEN_ERROR] = true;

  constructor(readonly reason: "malformed" | "expired" | "invalid") {
    super(`access token ${reason}`);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [TOKEN_ERROR]?: unknown })[TOKEN_ERROR] === true;
  }
}

const FORBIDDEN_HEADERS = ["jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256", "crit", "b64", "zip"];

function randomId(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(16)));
}

export async function signAccessToken(
  input: { userId: string; sessionId: string; role: Role; actorId?: string },
  opts: { ring?: KeyRing; ttlMs?: number; now?: number } = {},
): Promise<{ token: string; expiresAt: number; expiresIn: number }> {
  const ring = opts.ring ?? (await getKeyRing());
  const { appUrl, accessTokenTtlMs } = edgeConfig();
  const ttlSeconds = Math.max(1, Math.round((opts.ttlMs ?? accessTokenTtlMs) / 1000));
  const iat = Math.floor((opts.now ?? Date.now()) / 1000);
  const exp = iat + ttlSeconds;
  const claims = { sid: input.sessionId, role: input.role, ...(input.actorId ? { act: { sub: input.actorId } } : {}) };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: ring.signer.alg, kid: ring.signer.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(appUrl)
    .setAudience(appUrl)
    .setSubject(input.userId)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomId())
    .sign(ring.signer.privateKey);
  return { token, expiresAt: exp * 1000, expiresIn: ttlSeconds };
}

function claimsFrom(payload: JWTPayload, nowMs: number): AccessClaims {
  const { sub, sid, role, jti, iat, exp, act } = payload as Record<string, unknown>;
  if (typeof sub !== "string" || typeof sid !== "string" || typeof jti !== "string") throw new TokenError("invalid");
  if (role !== "user" && role !== "admin") throw new TokenError("invalid");
  if (typeof iat !== "number" || typeof exp !== "number") throw new TokenError("invalid");
  // jose checks a future iat only together with maxTokenAge; a token "issued" later than now
  // (beyond the skew) was not issued by us, or our clock is wrong: refuse it either way.
  if (iat > nowMs / 1000 + CLOCK_SKEW_SECONDS) throw new TokenError("invalid");
  if (act === undefined) return { sub, sid, role, jti, iat, exp };
  const actor = typeof act === "object" && act !== null ? (act as Record<string, unknown>).sub : undefined;
  if (typeof actor !== "string") throw new TokenError("invalid");
  return { sub, sid, role, jti, iat, exp, act: { sub: actor } };
}

export async function verifyAccessToken(token: string, opts: { ring?: KeyRing; now?: number } = {}): Promise<AccessClaims> {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || token.split(".").length !== 3) throw new TokenError("malformed");
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new TokenError("malformed");
  }
  if (FORBIDDEN_HEADERS.some((h) => h in header)) throw new TokenError("invalid");
  const ring = opts.ring ?? (await getKeyRing());
  const { appUrl } = edgeConfig();
  const key = typeof header.kid === "string" ? ring.byKid.get(header.kid) : undefined;
  if (!key || header.alg !== key.alg) throw new TokenError("invalid");
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [...ALLOWED_ALGORITHMS],
      issuer: appUrl,
      audience: appUrl,
      typ: ACCESS_TOKEN_TYPE,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ["exp", "iat", "sub", "jti"],
      currentDate: opts.now === undefined ? undefined : new Date(opts.now),
    });
    return claimsFrom(payload, opts.now ?? Date.now());
  } catch (e) {
    if (e instanceof TokenError) throw e;
    // Branch on err.code, not .name: production bundles minify class names.
    if ((e as { code?: string }).code === joseErrors.JWTExpired.code) throw new TokenError("expired");
    throw new TokenError("invalid");
  }
}
