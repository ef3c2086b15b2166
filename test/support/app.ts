// One real server per test file and provider: `const app = useApp("sqlite", { env })` inside a
// describe block starts it in beforeAll and stops it (and drops its database) in afterAll.
import { afterAll, beforeAll } from "vitest";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { Client, GOOD_PASSWORD, uniqueName } from "./client";
import { createTestDatabase, type Provider, type TestDatabase } from "./databases";
import { type RunningServer, startServer } from "./server";
import { roleSetter } from "./set-role";

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

let addressCounter = 0;

function nextAddress(): string {
  addressCounter += 1;
  const n = addressCounter + (process.pid % 1000) * 4096;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export function useApp(provider: Provider, opts: { env?: Record<string, string> } = {}): App {
  let server: RunningServer | undefined;
  let db: TestDatabase | undefined;
  let keys = "";
  const roles = roleSetter(() => ({ databaseUrl: app.db.url, keys }));
  beforeAll(async () => {
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
