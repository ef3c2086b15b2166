// The signing key ring (Edge-safe: jose and WebCrypto only). AUTH_SIGNING_KEYS holds
// {"keys":[JWK,...]} private keys with kid and alg; the first signs, all verify, so a new key
// can be put first while tokens signed by the old one are still accepted until they expire.
import { type CryptoKey, importJWK, type JWK } from "jose";
import { edgeConfig } from "./config";

export const ALLOWED_ALGORITHMS = ["ES256", "EdDSA"] as const;
export type SigningAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

type RingKey = {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  /** HMAC key for the known-device cookie, derived from this key so it rotates with the ring. */
  deviceSecret: Uint8Array;
};

async function deriveDeviceSecret(kid: string, d: string): Promise<Uint8Array> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`latchkey-device-v1:${kid}:${d}`));
  return new Uint8Array(digest);
}
export type KeyRing = { signer: RingKey; byKid: ReadonlyMap<string, RingKey>; publicJwks: JWK[] };

const PUBLIC_MEMBERS: Record<string, readonly string[]> = { EC: ["kty", "crv", "x", "y"], OKP: ["kty", "crv", "x"] };

export class KeyConfigError extends Error {}

function publicPart(jwk: JWK): JWK {
  const members = PUBLIC_MEMBERS[jwk.kty ?? ""];
  if (!members) throw new KeyConfigError(`key ${jwk.kid}: unsupported kty ${jwk.kty}`);
  const out: Record<string, unknown> = {};
  for (const m of members) out[m] = (jwk as Record<string, unknown>)[m];
  return { ...out, kid: jwk.kid, alg: jwk.alg, use: "sig" } as JWK;
}

export async function parseKeyRing(raw: string): Promise<KeyRing> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new KeyConfigError('AUTH_SIGNING_KEYS is not JSON; expected {"keys":[JWK,...]} (npm run --silent keygen)');
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw new KeyConfigError('AUTH_SIGNING_KEYS needs {"keys":[JWK,...]} with at least one key');
  const byKid = new Map<string, RingKey>();
  for (const jwk of keys as JWK[]) {
    const { kid, alg } = jwk;
    if (typeof kid !== "string" || kid.length === 0) throw new KeyConfigError("every signing key needs a kid");
    if (!ALLOWED_ALGORITHMS.includes(alg as SigningAlgorithm)) throw new KeyConfigError(`key ${kid}: alg must be ES256 or EdDSA`);
    if (typeof jwk.d !== "string") throw new KeyConfigError(`key ${kid}: a private key (with "d") is required`);
    if (byKid.has(kid)) throw new KeyConfigError(`duplicate kid ${kid}`);
    const publicJwk = publicPart(jwk);
    const privateKey = (await importJWK(jwk, alg)) as CryptoKey;
    const publicKey = (await importJWK(publicJwk, alg)) as CryptoKey;
    const deviceSecret = await deriveDeviceSecret(kid, jwk.d);
    byKid.set(kid, { kid, alg: alg as SigningAlgorithm, privateKey, publicKey, publicJwk, deviceSecret });
  }
  const signer = byKid.values().next().value as RingKey;
  return { signer, byKid, publicJwks: [...byKid.values()].map((k) => k.publicJwk) };
}

let cache: { raw: string; ring: Promise<KeyRing> } | undefined;

/** The key ring from AUTH_SIGNING_KEYS, parsed once per distinct value. */
export function getKeyRing(): Promise<KeyRing> {
  const raw = edgeConfig().signingKeys;
  if (!raw) {
    return Promise.reject(new KeyConfigError("AUTH_SIGNING_KEYS is not set: run `npm run --silent keygen` and set it"));
  }
  if (cache?.raw !== raw) {
    const ring = parseKeyRing(raw);
    ring.catch(() => undefined);
    cache = { raw, ring };
  }
  return cache.ring;
}
