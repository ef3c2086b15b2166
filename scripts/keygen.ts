// Prints a new signing key set for AUTH_SIGNING_KEYS. To rotate: put the new key first and keep
// the old one after it until every token it signed has expired (ACCESS_TOKEN_TTL).
import { generateKeySet } from "./lib/signing-keys";

async function main(): Promise<void> {
  const alg = process.argv.includes("--eddsa") ? "EdDSA" : "ES256";
  process.stdout.write(`${JSON.stringify(await generateKeySet({ alg }))}\n`);
}

void main();
