// PostgreSQL servers shared by the integration files that only add accounts of their own (unique
// names, their own client addresses) and read nothing global: one per configuration, started once
// for the whole run by vitest's globalSetup instead of once per file. A file opts in with
// `useApp(provider, { shared: true })` (and the configuration's env, if not the default). Files
// that count rows, need the only admin, read the server's output, stop the database or change
// settings keep a server of their own. SQLite servers are never shared: with one writer at a
// time, several files' writes (and the test processes' own, test/support/set-role.ts) queued
// behind each other on a loaded machine for longer than the 5 s busy timeout.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { createTestDatabase, PROVIDERS, type Provider } from "./databases";
import { type RunningServer, startServer } from "./server";

/** The configurations shared servers run with, beyond TRUST_PROXY=1. */
export const SHARED_CONFIGS: Record<string, Record<string, string>> = {
  default: {},
  // The rotation, revocation and session-list suites: a reuse grace they can wait out.
  grace: { REFRESH_REUSE_GRACE: "2s" },
};

/** The databases whose servers are shared (the others start one per file, as without `shared`). */
export const SHARED_PROVIDERS: Provider[] = PROVIDERS.filter((p) => p === "postgresql");

export type SharedServer = { url: string; port: number; databaseUrl: string; keys: string; env: Record<string, string> };

/** The key a shared server is found by: its database and its env, in a stable order. */
export function sharedKey(provider: Provider, env: Record<string, string> = {}): string {
  const pairs = Object.entries(env).sort(([a], [b]) => a.localeCompare(b));
  return `${provider} ${JSON.stringify(pairs)}`;
}

declare module "vitest" {
  export interface ProvidedContext {
    sharedServers: Record<string, SharedServer>;
    /** A folder where each test process claims its own block of client addresses (test/support/app.ts). */
    addressBlocks: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const blocks = mkdtempSync(path.join(tmpdir(), "latchkey-addresses-"));
  const started: { server: RunningServer; drop(): Promise<void> }[] = [];
  const shared: Record<string, SharedServer> = {};
  const stopAll = async () => {
    await Promise.all(started.map(async (s) => (await s.server.stop(), await s.drop())));
    rmSync(blocks, { recursive: true, force: true });
  };
  try {
    await Promise.all(
      SHARED_PROVIDERS.flatMap((provider) =>
        Object.values(SHARED_CONFIGS).map(async (env) => {
          const db = await createTestDatabase(provider);
          const keys = JSON.stringify(await generateKeySet());
          const server = await startServer({ databaseUrl: db.url, keys, env: { TRUST_PROXY: "1", ...env } }).catch(async (e) => {
            await db.drop();
            throw e;
          });
          started.push({ server, drop: db.drop });
          shared[sharedKey(provider, env)] = { url: server.url, port: server.port, databaseUrl: db.url, keys, env: server.env };
        }),
      ),
    );
  } catch (e) {
    await stopAll();
    throw e;
  }
  project.provide("sharedServers", shared);
  project.provide("addressBlocks", blocks);
  return stopAll;
}
