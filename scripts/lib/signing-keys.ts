// Key generation and the start-up checks on AUTH_SIGNING_KEYS (Node only).
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { generateEncryptionKeys } from "@/lib/crypto/encryption";
import { parseKeyRing } from "@/lib/edge/keys";

export async function generateKeySet(
  opts: { alg?: "ES256" | "EdDSA"; kidPrefix?: string } = {},
): Promise<{ keys: Record<string, unknown>[] }> {
  const alg = opts.alg ?? "ES256";
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}) });
  const jwk = await exportJWK(privateKey);
  const kid = `${opts.kidPrefix ?? ""}${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
  return { keys: [{ ...jwk, kid, alg, use: "sig" }] };
}

const DEV_KEY_FILE = "data/dev-signing-keys.json";

/** Development only: the key set in data/, made on first run. */
export async function ensureDevKeys(root: string): Promise<string> {
  const file = path.join(root, DEV_KEY_FILE);
  if (existsSync(file)) return readFileSync(file, "utf8");
  mkdirSync(path.dirname(file), { recursive: true });
  const raw = JSON.stringify(await generateKeySet({ kidPrefix: "dev-" }));
  writeFileSync(file, raw, { mode: 0o600 });
  return raw;
}

const DEV_ENCRYPTION_KEY_FILE = "data/dev-encryption-keys.json";

/** Development only: the data-encryption key set in data/, made on first run. */
export function ensureDevEncryptionKeys(root: string): string {
  const file = path.join(root, DEV_ENCRYPTION_KEY_FILE);
  if (existsSync(file)) return readFileSync(file, "utf8");
  mkdirSync(path.dirname(file), { recursive: true });
  const raw = JSON.stringify(generateEncryptionKeys("dev-"));
  writeFileSync(file, raw, { mode: 0o600 });
  return raw;
}

/** Private key material committed to this repository (test fixtures): never valid in production. */
function repositoryKeys(root: string): Set<string> {
  const dir = path.join(root, "test/fixtures");
  const found = new Set<string>();
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    try {
      const parsed = JSON.parse(readFileSync(path.join(dir, name), "utf8")) as { keys?: { d?: string }[] };
      for (const k of parsed.keys ?? []) if (k.d) found.add(k.d);
    } catch {
      // not a key file
    }
  }
  return found;
}

/** Returns a one-line reason the key set may not be used in production, or null. */
export async function productionKeyProblem(raw: string | undefined, root: string): Promise<string | null> {
  if (!raw)
    return "AUTH_SIGNING_KEYS is not set. Generate a key set with `npm run --silent keygen` and set AUTH_SIGNING_KEYS to its output.";
  try {
    await parseKeyRing(raw);
  } catch (e) {
    return (e as Error).message;
  }
  const keys = (JSON.parse(raw) as { keys: { kid: string; d: string }[] }).keys;
  const known = repositoryKeys(root);
  for (const k of keys) {
    if (k.kid.startsWith("dev-") || k.kid.startsWith("test-") || known.has(k.d)) {
      return `AUTH_SIGNING_KEYS contains a development or test key (kid ${k.kid}); generate a production key set with \`npm run --silent keygen\`.`;
    }
  }
  return null;
}
