// Starts a real Latchkey server (the same server.ts `npm start` runs) on a free port, against
// the database URL given, and stops it afterwards. Used by the integration and e2e suites.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { generateEncryptionKeys } from "@/lib/crypto/encryption";

export const ROOT = path.resolve(__dirname, "../..");

/**
 * One data-encryption key set per test run, so every server a suite starts can read the others'
 * rows: made by the first process that loads this file (vitest's main process for the
 * integration suites, which start the shared servers there) and inherited by the test processes.
 */
process.env.LATCHKEY_TEST_ENCRYPTION_KEYS ??= JSON.stringify(generateEncryptionKeys("test-"));
export const TEST_ENCRYPTION_KEYS: string = process.env.LATCHKEY_TEST_ENCRYPTION_KEYS;

/**
 * How `npm start` runs the compiled server (`npm run build` writes dist/server.mjs): the node
 * flags are read from package.json's start script, so tests and benchmarks run exactly that.
 */
export function serverCommand(): { command: string; args: string[] } {
  const entry = path.join(ROOT, "dist/server.mjs");
  if (!existsSync(entry)) throw new Error("dist/server.mjs is missing: run `npm run build` (next build, then scripts/build-server.mjs)");
  const start: string = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.start;
  const flags = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/server\.mjs/.exec(start)?.[1]?.trim().split(/\s+/) ?? [];
  return { command: process.execPath, args: [...flags.filter(Boolean), entry] };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export type RunningServer = { url: string; port: number; env: Record<string, string>; stop(): Promise<void>; output(): string };

type StartOptions = { databaseUrl: string; keys: string; env?: Record<string, string>; port?: number };

/**
 * freePort() releases the port before the server binds it, so two servers starting at once can
 * pick the same one; a server that dies at start-up on a port we chose is retried on another.
 */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts, opts.port ?? (await freePort()));
    } catch (e) {
      if (opts.port !== undefined || attempt >= 3 || !(e instanceof EarlyExit)) throw e;
    }
  }
}

class EarlyExit extends Error {}

async function startOnce(opts: StartOptions, port: number): Promise<RunningServer> {
  const url = `http://localhost:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    HOST: "127.0.0.1",
    APP_URL: url,
    DATABASE_URL: opts.databaseUrl,
    AUTH_SIGNING_KEYS: opts.keys,
    BCRYPT_COST: "4",
    LOG_LEVEL: "warn",
    AUTH_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
    // Suites that read mail pass SMTP_URL (test/support/smtp.ts) in opts.env; the rest send none.
    EMAIL_DELIVERY: "off",
    ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
    ...opts.env,
  };
  const { command, args } = serverCommand();
  const child: ChildProcess = spawn(command, args, {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await new Promise((r) => setTimeout(r, 100));
      throw new EarlyExit(`server exited early (${child.exitCode}):\n${out}`);
    }
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not become healthy:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    env,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
