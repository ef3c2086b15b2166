// Prints a new signing key set for AUTH_SIGNING_KEYS. To rotate: put the new key first and keep
// the old one after it until every token it signed has expired (ACCESS_TOKEN_TTL).
// `--encryption` prints a data-encryption key set for AUTH_ENCRYPTION_KEYS instead; to rotate it,
// put the new key first and keep the old one after it (values written under it still decrypt).
import { generateEncryptionKeys } from "@/lib/crypto/encryption";
import { generateKeySet } from "./lib/signing-keys";

async function main(): Promise<void> {
  if (process.argv.includes("--encryption")) {
    process.stdout.write(`${JSON.stringify(generateEncryptionKeys())}\n`);
    return;
  }
  const alg = process.argv.includes("--eddsa") ? "EdDSA" : "ES256";
  process.stdout.write(`${JSON.stringify(await generateKeySet({ alg }))}\n`);
}

void main();
