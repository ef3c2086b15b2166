// Servers shared by the integration files that only add accounts of their own (unique names, their
// own client addresses) and read nothing global, instead of one per file. A file opts in with
// `useApp(provider, { shared: true })` (and the configuration's env, if not the default). Files
// that count rows, need the only admin, read the server's output, stop the database or change
// settings keep a server of their own.
//
// vitest's globalSetup (this file's default export) runs a small broker in vitest's own process,
// which starts a shared server the first time a test process asks for it and stops them all at
// the end of the run: a run of one file starts only what that file needs.
// - PostgreSQL: one server per configuration for the whole run.
// - SQLite: one per configuration and test slot (VITEST_POOL_ID, 1 to maxWorkers). The files of a
//   slot run one after another, so each SQLite file has one test file writing at a time: a
//   file shared by the whole run had several files' writes queue behind each other on a loaded
//   machine past the 5 s busy timeout.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
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

/** The databases whose servers are shared: all of them, SQLite's per test slot. */
export const SHARED_PROVIDERS: Provider[] = [...PROVIDERS];

export type SharedServer = { url: string; port: number; databaseUrl: string; keys: string; env: Record<string, string> };

/** The key a shared server is found by: its database, its env in a stable order, and for SQLite the test slot. */
export function sharedKey(provider: Provider, env: Record<string, string> = {}, slot = process.env.VITEST_POOL_ID ?? "1"): string {
  const pairs = Object.entries(env).sort(([a], [b]) => a.localeCompare(b));
  return `${provider} ${JSON.stringify(pairs)}${provider === "sqlite" ? ` slot ${slot}` : ""}`;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The broker's address: GET ?key=<sharedKey> answers that server's SharedServer, starting it if need be. */
    sharedServerBroker: string;
    /** A folder where each test process claims its own block of client addresses (test/support/app.ts). */
    addressBlocks: string;
  }
}

/** Asks the run's broker for the shared server of this database and env (starting it if this is the first ask). */
export async function sharedServerFor(broker: string, provider: Provider, env: Record<string, string> = {}): Promise<SharedServer> {
  const key = sharedKey(provider, env);
  const res = await fetch(`${broker}/?key=${encodeURIComponent(key)}`);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`no shared server for ${key}: ${body}`);
  return JSON.parse(body) as SharedServer;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const blocks = mkdtempSync(path.join(tmpdir(), "latchkey-addresses-"));
  const started: { server: RunningServer; drop(): Promise<void> }[] = [];
  const servers = new Map<string, Promise<SharedServer>>();
  const known = new Map<string, [Provider, Record<string, string>]>();
  const slots = Math.max(1, Number(project.config.maxWorkers) || 1);
  for (const provider of SHARED_PROVIDERS) {
    for (const env of Object.values(SHARED_CONFIGS)) {
      const keys =
        provider === "sqlite"
          ? Array.from({ length: slots }, (_, i) => sharedKey(provider, env, String(i + 1)))
          : [sharedKey(provider, env)];
      for (const key of keys) known.set(key, [provider, env]);
    }
  }

  async function start(provider: Provider, env: Record<string, string>): Promise<SharedServer> {
    const db = await createTestDatabase(provider);
    const keys = JSON.stringify(await generateKeySet());
    const server = await startServer({ databaseUrl: db.url, keys, env: { TRUST_PROXY: "1", ...env } }).catch(async (e) => {
      await db.drop();
      throw e;
    });
    started.push({ server, drop: db.drop });
    return { url: server.url, port: server.port, databaseUrl: db.url, keys, env: server.env };
  }

  const broker = createServer((req, res) => {
    const key = new URL(req.url ?? "/", "http://broker").searchParams.get("key") ?? "";
    const config = known.get(key);
    if (!config) {
      res.writeHead(404).end(`not a shared configuration: add its env to SHARED_CONFIGS (known: ${[...known.keys()].join(", ")})`);
      return;
    }
    let server = servers.get(key);
    if (!server) {
      server = start(...config);
      servers.set(key, server);
    }
    server.then(
      (s) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(s)),
      (e: unknown) => res.writeHead(500).end(e instanceof Error ? e.message : String(e)),
    );
  });
  await new Promise<void>((resolve) => broker.listen(0, "127.0.0.1", resolve));
  const address = broker.address();
  if (typeof address !== "object" || !address) throw new Error("the shared-server broker has no address");

  project.provide("sharedServerBroker", `http://127.0.0.1:${address.port}`);
  project.provide("addressBlocks", blocks);
  return async () => {
    broker.close();
    await Promise.allSettled(servers.values());
    await Promise.all(started.map(async (s) => (await s.server.stop(), await s.drop())));
    rmSync(blocks, { recursive: true, force: true });
  };
}
