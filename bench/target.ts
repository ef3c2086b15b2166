// One benchmark target: a production server (the same server.ts `npm start` runs) on a fresh
// database, with one account signed in, and a way to read the server process's memory.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { createTestDatabase, type Provider, type TestDatabase } from "@/test/support/databases";
import { type RunningServer, startServer } from "@/test/support/server";
import { type Measured, median, run } from "./load";

export const BENCH_PASSWORD = "correct horse battery staple orbit";

export type Target = {
  provider: Provider;
  server: RunningServer;
  db: TestDatabase;
  keys: string;
  username: string;
  accessToken: string;
  /** Cookie header of a signed-in browser. */
  cookie: string;
  pid: number;
  /** RSS (MiB) once the server first answered, before any other request. */
  rssAtStart: number;
  rssMiB(): number;
  close(): Promise<void>;
};

/** The process listening on `port`, found through /proc. */
export function pidListeningOn(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is "ADDR:PORT"; state 0A is LISTEN.
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === "0A" && cols[9]) inodes.add(cols[9]);
    }
  }
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${entry}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
        if (inode && inodes.has(inode)) return Number(entry);
      } catch {
        // the fd closed meanwhile
      }
    }
  }
  throw new Error(`no process listens on port ${port}`);
}

export function rssMiBOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

export type TargetOptions = {
  /** Fills the fresh database before the server starts (the admin rows seed it). */
  prepare?: (databaseUrl: string) => Promise<void>;
  /** Makes the signed-in account an admin (before it signs in). */
  admin?: boolean;
};

async function promote(databaseUrl: string, username: string): Promise<void> {
  const { createDb } = await import("@/lib/db/client");
  const db = createDb(databaseUrl);
  try {
    await db.user.update({ where: { username }, data: { role: "admin" }, select: { id: true } });
  } finally {
    await db.$disconnect();
  }
}

export async function startTarget(provider: Provider, opts: TargetOptions = {}): Promise<Target> {
  const db = await createTestDatabase(provider);
  try {
    await opts.prepare?.(db.url);
  } catch (e) {
    await db.drop();
    throw e;
  }
  const keys = JSON.stringify(await generateKeySet());
  // Production defaults, except the access-token lifetime, so no token expires mid-run.
  const server = await startServer({ databaseUrl: db.url, keys, env: { BCRYPT_COST: "12", ACCESS_TOKEN_TTL: "15m" } });
  try {
    // Right after start: the server has answered only its readiness check (GET /api/health).
    const pid = pidListeningOn(server.port);
    const rssAtStart = rssMiBOf(pid);
    const username = `bench${Date.now().toString(36)}`;
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const reg = await post("/api/auth/register", { username, password: BENCH_PASSWORD });
    if (reg.status !== 201) throw new Error(`register: ${reg.status} ${await reg.text()}`);
    if (opts.admin) await promote(db.url, username);
    const login = await post("/api/auth/login", { username, password: BENCH_PASSWORD });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
    const accessToken = ((await login.json()) as { access_token: string }).access_token;
    // What a browser sends to a page: everything but the refresh cookie (Path=/api/auth).
    const cookie = login.headers
      .getSetCookie()
      .map((line) => line.split(";")[0] ?? "")
      .filter((pair) => !pair.startsWith("latchkey_rt="))
      .join("; ");
    return {
      provider,
      server,
      db,
      keys,
      username,
      accessToken,
      cookie,
      pid,
      rssAtStart,
      rssMiB: () => rssMiBOf(pid),
      async close() {
        await server.stop();
        await db.drop();
      },
    };
  } catch (e) {
    await server.stop();
    await db.drop();
    throw e;
  }
}

/** Registers `count` fresh accounts on the target, one after another; returns their usernames. */
export async function registerAccounts(t: Target, count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const username = `storm${i}${Date.now().toString(36)}`;
    const res = await fetch(`${t.server.url}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password: BENCH_PASSWORD }),
    });
    if (res.status !== 201) throw new Error(`register ${username}: ${res.status}`);
    names.push(username);
  }
  return names;
}

/**
 * Sign-ins back to back for `seconds`, one client per account given, each on its own connection.
 * One account per client: concurrent attempts on one account count against its throttle while in
 * flight (SPEC "Throttling"), so a storm on one account is mostly 429s, which answer in no time
 * and would be counted as logins.
 */
export async function loginStorm(t: Target, usernames: string[], seconds: number): Promise<Measured> {
  const perClient = await Promise.all(
    usernames.map((username) =>
      run(t.server.url, {
        title: "POST /api/auth/login",
        path: "/api/auth/login",
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username, password: BENCH_PASSWORD }),
        connections: 1,
        duration: seconds,
      }),
    ),
  );
  return {
    title: `POST /api/auth/login (${usernames.length} clients)`,
    rps: Math.round(perClient.reduce((sum, m) => sum + m.rps, 0) * 10) / 10,
    p50: median(perClient.map((m) => m.p50)),
    p99: Math.max(...perClient.map((m) => m.p99)),
    requests: perClient.reduce((sum, m) => sum + m.requests, 0),
    unexpected: perClient.reduce((sum, m) => sum + m.unexpected, 0),
  };
}
