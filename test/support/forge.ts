// Token-forging helpers for the attack suites. Tokens are assembled by hand (header, payload,
// signature) rather than with jose's SignJWT, because SignJWT refuses exactly the malformed
// headers (crit, alg "none", HS256 with an asymmetric public key) an attacker would send.
import { createHmac, randomBytes } from "node:crypto";
import { base64url, type CryptoKey, decodeJwt, exportJWK, exportSPKI, generateKeyPair, importJWK, type JWK } from "jose";

export type Header = Record<string, unknown>;
export type Claims = Record<string, unknown>;

export type RingKey = {
  kid: string;
  alg: "ES256" | "EdDSA";
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
};

const enc = (value: unknown) => base64url.encode(JSON.stringify(value));

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The server's signing key (the first of app.keys), so tests can mint tokens it will accept. */
export async function ringKey(keysJson: string): Promise<RingKey> {
  const [jwk] = (JSON.parse(keysJson) as { keys: (JWK & { kid: string; alg: "ES256" | "EdDSA" })[] }).keys;
  if (!jwk) throw new Error("no key in the key set");
  const { d: _private, ...publicJwk } = jwk;
  const privateKey = (await importJWK(jwk, jwk.alg, { extractable: true })) as CryptoKey;
  const publicKey = (await importJWK(publicJwk, jwk.alg, { extractable: true })) as CryptoKey;
  return { kid: jwk.kid, alg: jwk.alg, privateKey, publicKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}

/** A key pair the server has never seen (the attacker's own). */
export async function attackerKey(alg: "ES256" | "EdDSA" = "ES256"): Promise<{ privateKey: CryptoKey; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), alg } };
}

/** The claims the server itself would issue for a session; `extra` overrides or adds. */
export function accessClaims(issuer: string, who: { sub: string; sid: string; role?: string }, extra: Claims = {}): Claims {
  const iat = nowSeconds();
  return {
    iss: issuer,
    aud: issuer,
    sub: who.sub,
    sid: who.sid,
    role: who.role ?? "user",
    iat,
    exp: iat + 300,
    jti: randomBytes(12).toString("base64url"),
    ...extra,
  };
}

export function without(claims: Claims, ...keys: string[]): Claims {
  const out = { ...claims };
  for (const k of keys) delete out[k];
  return out;
}

export function headerFor(key: { kid: string; alg: string }, extra: Header = {}): Header {
  return { alg: key.alg, kid: key.kid, typ: "at+jwt", ...extra };
}

export function unsigned(header: Header, claims: Claims): string {
  return `${enc(header)}.${enc(claims)}.`;
}

/** Signs header.payload with an ES256 or Ed25519 private key, whatever the header claims. */
export async function signRaw(header: Header, claims: Claims, privateKey: CryptoKey): Promise<string> {
  const input = `${enc(header)}.${enc(claims)}`;
  const algorithm = privateKey.algorithm.name === "ECDSA" ? { name: "ECDSA", hash: "SHA-256" } : { name: privateKey.algorithm.name };
  const signature = new Uint8Array(await crypto.subtle.sign(algorithm, privateKey, new TextEncoder().encode(input)));
  return `${input}.${base64url.encode(signature)}`;
}

/** HS256 over header.payload with any bytes as the secret (the "public key as HMAC secret" attack). */
export function signHmac(header: Header, claims: Claims, secret: string | Uint8Array): string {
  const input = `${enc(header)}.${enc(claims)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

/** Rewrites a token's payload and keeps the original signature (which no longer matches). */
export function tamper(token: string, patch: Claims): string {
  const [header, , signature] = token.split(".");
  return `${header}.${enc({ ...decodeJwt(token), ...patch })}.${signature}`;
}

export function claimsOf(token: string): Claims & { sub: string; sid: string; role: string } {
  return decodeJwt(token) as Claims & { sub: string; sid: string; role: string };
}

// Hostile requests: whatever is refused must be refused in the SPEC's shape.
type ErrorReply = { status: number; headers: Headers; body: unknown; text: string };

/** Asserts the SPEC's error body {code, message, fields?} as JSON: no HTML, no stack, no paths. */
export function assertSpecError(res: ErrorReply, label = ""): { code: string; message: string; fields?: Record<string, string[]> } {
  const where = `${label} → ${res.status} ${res.text.slice(0, 300)}`;
  if (!(res.headers.get("content-type") ?? "").startsWith("application/json")) throw new Error(`not JSON: ${where}`);
  const body = res.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new Error(`no JSON object: ${where}`);
  const keys = Object.keys(body).sort().join(",");
  if (keys !== "code,message" && keys !== "code,fields,message") throw new Error(`keys ${keys}: ${where}`);
  if (typeof body.code !== "string" || !/^[a-z_]+$/.test(body.code)) throw new Error(`bad code: ${where}`);
  if (typeof body.message !== "string" || body.message.length === 0) throw new Error(`bad message: ${where}`);
  if (body.fields !== undefined) {
    const fields = body.fields as Record<string, unknown>;
    if (typeof fields !== "object" || fields === null || Array.isArray(fields)) throw new Error(`bad fields: ${where}`);
    for (const v of Object.values(fields)) {
      if (!Array.isArray(v) || v.length === 0 || !v.every((m) => typeof m === "string")) throw new Error(`bad field messages: ${where}`);
    }
  }
  if (/\n\s+at\s|\bat .+:\d+:\d+|node_modules|\/work\/|\.tsx?:\d|<html|<!DOCTYPE/i.test(res.text))
    throw new Error(`leaks internals: ${where}`);
  return body as { code: string; message: string; fields?: Record<string, string[]> };
}
