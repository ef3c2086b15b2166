// Starts one production server for the whole run, exactly as the integration harness does: a
// throwaway SQLite file, a fresh signing key set, NODE_ENV=production, `tsx server.ts`.
// TRUST_PROXY lets every browser context send its own X-Forwarded-For address, so the
// per-address login and sign-up limits of one test never reach another.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateKeySet } from "../../scripts/lib/signing-keys";
import { startServer } from "../../test/support/server";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "latchkey-e2e-"));
  const databaseUrl = `file:${path.join(dir, "e2e.db")}`;
  const keys = JSON.stringify(await generateKeySet());
  const port = process.env.E2E_PORT ? Number(process.env.E2E_PORT) : undefined;
  const server = await startServer({ databaseUrl, keys, env: { TRUST_PROXY: "1" }, ...(port ? { port } : {}) });
  // Workers start after this returns and inherit these.
  process.env.E2E_BASE_URL = server.url;
  process.env.E2E_DATABASE_URL = databaseUrl;
  process.env.E2E_SIGNING_KEYS = keys;
  return async () => {
    await server.stop();
    if (process.env.E2E_SERVER_LOG) process.stdout.write(server.output());
    rmSync(dir, { recursive: true, force: true });
  };
}
