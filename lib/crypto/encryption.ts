// Data encryption at rest for second-factor secrets (SPEC `AUTH_ENCRYPTION_KEYS`): AES-256-GCM
// under a key ring {"keys":[{"kid","k"}]}, `k` = 32 random bytes in base64url. The first key
// encrypts; every key decrypts, so a new key can be put first and old values still read until
// they are re-encrypted (reEncrypt). A stored value names its key: "v1.<kid>.<iv>.<ciphertext+tag>".
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export class EncryptionKeyError extends Error {}

export type EncryptionRing = { current: { kid: string; key: Buffer }; byKid: ReadonlyMap<string, Buffer> };

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function parseEncryptionKeys(raw: string): EncryptionRing {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new EncryptionKeyError(
      'AUTH_ENCRYPTION_KEYS is not JSON; expected {"keys":[{"kid","k"}]} (npm run --silent keygen -- --encryption)',
    );
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw new EncryptionKeyError('AUTH_ENCRYPTION_KEYS needs {"keys":[{"kid","k"}]} with at least one key');
  const byKid = new Map<string, Buffer>();
  for (const entry of keys as { kid?: unknown; k?: unknown }[]) {
    const { kid, k } = entry ?? {};
    if (typeof kid !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(kid))
      throw new EncryptionKeyError("every encryption key needs a kid of letters, digits, _ or -");
    if (typeof k !== "string") throw new EncryptionKeyError(`encryption key ${kid}: k is missing`);
    const key = Buffer.from(k, "base64url");
    if (key.length !== 32) throw new EncryptionKeyError(`encryption key ${kid}: k must be 32 bytes in base64url`);
    if (byKid.has(kid)) throw new EncryptionKeyError(`duplicate encryption kid ${kid}`);
    byKid.set(kid, key);
  }
  const [kid, key] = byKid.entries().next().value as [string, Buffer];
  return { current: { kid, key }, byKid };
}

export function generateEncryptionKeys(kidPrefix = ""): { keys: { kid: string; k: string }[] } {
  const kid = `${kidPrefix}${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString("hex")}`;
  return { keys: [{ kid, k: randomBytes(32).toString("base64url") }] };
}

/** `associated` binds a value to its row (e.g. the user id), so a ciphertext cannot be moved to another account. */
export function encrypt(ring: EncryptionRing, plaintext: string, associated: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv);
  cipher.setAAD(Buffer.from(associated, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, ring.current.kid, iv.toString("base64url"), body.toString("base64url")].join(".");
}

export function decrypt(ring: EncryptionRing, stored: string, associated: string): string {
  const [version, kid, iv, body] = stored.split(".");
  const key = kid === undefined ? undefined : ring.byKid.get(kid);
  if (version !== VERSION || !key || !iv || !body) throw new EncryptionKeyError(`cannot decrypt: unknown key ${kid ?? "?"}`);
  const bytes = Buffer.from(body, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(associated, "utf8"));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString("utf8");
}

/** True when `stored` was written under a key other than the current one (rotation). */
export function needsReEncryption(ring: EncryptionRing, stored: string): boolean {
  return stored.split(".")[1] !== ring.current.kid;
}
