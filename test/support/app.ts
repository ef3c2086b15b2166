// One real server per test file and provider: `const app = useApp("sqlite", { env })` inside a
// describe block starts it in beforeAll and stops it (and drops its database) in afterAll. With
// `shared: true` it uses the run's server for that database and env instead, where that database's
// servers are shared (PostgreSQL; see shared-servers.ts).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { Client, GOOD_PASSWORD, uniqueName } from "./client";
import { createTestDatabase, PROVIDERS, type Provider, type TestDatabase } from "./databases";
import { type RunningServer, startServer } from "./server";
import { roleSetter } from "./set-role";
import { SHARED_PROVIDERS, sharedKey } from "./shared-servers";

export type App = {
  readonly url: string;
  readonly server: RunningServer;
  readonly db: TestDatabase;
  readonly keys: string;
  /** A browser-like client (cookie jar, Origin) from its own address. */
  browser(opts?: { userAgent?: string; address?: string }): Client;
  /** A script-like client (no cookies, no Origin) from its own address. */
  script(opts?: { address?: string }): Client;
  /** Makes an account admin or user again, as `npm run user -- set-role` does (test/support/set-role.ts). */
  setRole(username: string, role: "user" | "admin"): Promise<void>;
  /** Registers a fresh account through the API and returns its credentials. */
  newUser(opts?: { role?: "user" | "admin"; password?: string }): Promise<{ username: string; password: string; id: string }>;
};

const BLOCK = 4096;
let addressBlock: number | undefined;
let addressCounter = 0;
let firstBlock = 1;

/**
 * A block of client addresses of this process's own: shared servers see several test processes,
 * one after another and side by side (and one process runs several files), and one's throttled
 * address must never be another's. Each claim takes the next free block (an atomic mkdir in the
 * run's folder); a process that used up its block claims another.
 */
function claimBlock(): number {
  let folder: string | undefined;
  try {
    folder = inject("addressBlocks");
  } catch {
    folder = undefined;
  }
  if (!folder) {
    if (addressBlock !== undefined) throw new Error(`more than ${BLOCK} client addresses in one test process`);
    return process.pid % 1000;
  }
  for (let block = firstBlock; block < 4000; block++) {
    try {
      mkdirSync(path.join(folder, String(block)));
      firstBlock = block + 1;
      return block;
    } catch {
      // taken by another process
    }
  }
  throw new Error("no free block of client addresses");
}

function nextAddress(): string {
  if (addressBlock === undefined || addressCounter + 1 >= BLOCK) {
    addressBlock = claimBlock();
    addressCounter = 0;
  }
  addressCounter += 1;
  const n = addressCounter + addressBlock * BLOCK;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** A server of the run's, shared with other files (test/support/shared-servers.ts); never stopped here. */
function sharedServer(provider: Provider, env: Record<string, string> = {}): { server: RunningServer; db: TestDatabase; keys: string } {
  const found = inject("sharedServers")[sharedKey(provider, env)];
  if (!found) throw new Error(`no shared server for ${sharedKey(provider, env)}: add its env to SHARED_CONFIGS`);
  const server: RunningServer = {
    url: found.url,
    port: found.port,
    env: found.env,
    stop: async () => {},
    output: () => {
      throw new Error("a shared server's output is not the file's to read: use a server of its own");
    },
  };
  return { server, db: { provider, url: found.databaseUrl, drop: async () => {} }, keys: found.keys };
}

/**
 * The database for suites of the HTTP layer: what they attack (headers, body parsing, origins,
 * token claims, redirects, the middleware) is the same code whatever stores the rows, so they run
 * once, on the run's shared PostgreSQL server (the production database, and the stricter one
 * about odd text) where there is one, else on SQLite. What differs between the databases is
 * covered below HTTP on both (lib/db/client.test.ts and the use-case tests), and by the suites
 * listed under HTTP_LAYER_PROVIDERS that still run on both.
 */
export const HTTP_LAYER_PROVIDER: Provider = SHARED_PROVIDERS[0] ?? PROVIDERS[0] ?? "sqlite";

/**
 * For `describe.each`: the suites of features whose database work is plain reads and writes in
 * one transaction at a time (mail links, second factors, passkeys, the admin console, revocation
 * on one server, throttles' limits, token claims) run over HTTP on this one database, the
 * production one where the run has it; their use cases also run below HTTP on SQLite (the
 * use-case tests beside lib/use-cases). The suites whose outcome depends on how the store
 * behaves under races, restarts and several instances (sessions' rotation and concurrency,
 * lifetimes, the revocation cache, multi-instance, the audit chain, bursts, the last admin,
 * fail-closed) still run on both.
 */
export const HTTP_LAYER_PROVIDERS: Provider[] = [HTTP_LAYER_PROVIDER];

export function useApp(provider: Provider, opts: { env?: Record<string, string>; shared?: boolean } = {}): App {
  let server: RunningServer | undefined;
  let db: TestDatabase | undefined;
  let keys = "";
  const roles = roleSetter(() => ({ databaseUrl: app.db.url, keys }));
  beforeAll(async () => {
    if (opts.shared && SHARED_PROVIDERS.includes(provider)) {
      ({ server, db, keys } = sharedServer(provider, opts.env));
      return;
    }
    db = await createTestDatabase(provider);
    keys = JSON.stringify(await generateKeySet());
    server = await startServer({ databaseUrl: db.url, keys, env: { TRUST_PROXY: "1", ...opts.env } });
  }, 90_000);
  afterAll(async () => {
    await roles.close();
    await server?.stop();
    await db?.drop();
  }, 30_000);

  const app: App = {
    get url() {
      if (!server) throw new Error("server not started");
      return server.url;
    },
    get server() {
      if (!server) throw new Error("server not started");
      return server;
    },
    get db() {
      if (!db) throw new Error("database not created");
      return db;
    },
    get keys() {
      return keys;
    },
    browser: (o = {}) =>
      new Client(app.url, {
        browser: true,
        userAgent: o.userAgent ?? "Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0 Safari/537.36",
        headers: { "x-forwarded-for": o.address ?? nextAddress() },
      }),
    script: (o = {}) => new Client(app.url, { headers: { "x-forwarded-for": o.address ?? nextAddress() } }),
    setRole: (username, role) => roles.setRole(username, role),
    async newUser(o = {}) {
      const username = uniqueName();
      const password = o.password ?? GOOD_PASSWORD;
      const res = await app.script().post("/api/auth/register", { username, password });
      if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
      if (o.role === "admin") await app.setRole(username, "admin");
      return { username, password, id: res.body.user.id as string };
    },
  };
  return app;
}
