// The side-by-side section of `npm run bench`: Latchkey's compiled production server (SQLite, the
// default), the same build under plain `next start` (the floor server.ts is measured against) and
// the two peer apps, measured route by route in interleaved rounds of one run, then a login storm,
// sequential register/login/refresh timings against one bcrypt, and every server's memory.
import { type ChildProcess, spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import bcrypt from "bcryptjs";
import { freePort, ROOT } from "@/test/support/server";
import { type Load, type Measured, median, run, warm } from "./load";
import { type Peer, type PeerName, peersAvailable, startPeer } from "./peers";
import { BENCH_PASSWORD, loginStorm, pidListeningOn, registerAccounts, rssMiBOf, startTarget, type Target } from "./target";

export const ROUTES = [
  "health",
  "jwks",
  "protected",
  "login",
  "signup",
  "status403",
  "notFound",
  "dashboard",
  "dashboardRendered",
] as const;
export type Route = (typeof ROUTES)[number];
export type ServerName = "latchkey" | "next-start" | PeerName;

export type SideBySide = {
  /** req/s and latency per server and route (only the routes each server has). */
  runs: Partial<Record<ServerName, Partial<Record<Route, Measured>>>>;
  rss: Partial<Record<ServerName, { idle: number; after: number }>>;
  coldStartMs: number;
  storm: { logins: Measured; protectedProbe: Measured; expectedLoginsPerSecond: number };
  medians: { bcryptMs: number; registerMs: number; loginMs: number; refreshMs: number };
  peersMissing?: string;
  seconds: number;
};

const CONNECTIONS = 16;
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5);
const ROUNDS = 2;

function say(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

function latchkeyLoads(t: Target): Record<Route, Load> {
  return {
    health: { title: "GET /api/health", path: "/api/health" },
    jwks: { title: "GET /.well-known/jwks.json", path: "/.well-known/jwks.json" },
    protected: { title: "GET /api/protected (Bearer)", path: "/api/protected", headers: { authorization: `Bearer ${t.accessToken}` } },
    login: { title: "GET /login", path: "/login" },
    signup: { title: "GET /signup", path: "/signup" },
    status403: { title: "GET /403", path: "/403", expect: 403 },
    notFound: { title: "GET /no-such-page (404)", path: "/no-such-page", expect: 404 },
    dashboard: { title: "GET /dashboard (cookie)", path: "/dashboard", headers: { cookie: t.cookie } },
    // A query sends it past the shell: the middleware, then Next renders the page (ADR 0023).
    dashboardRendered: { title: "GET /dashboard?rendered (cookie)", path: "/dashboard?rendered", headers: { cookie: t.cookie } },
  };
}

function peerLoads(p: Peer): Partial<Record<Route, Load>> {
  return {
    health: { title: `${p.name} GET /api/health`, path: "/api/health" },
    protected: { title: `${p.name} GET /api/protected (cookie)`, path: "/api/protected", headers: { cookie: p.cookie } },
    login: { title: `${p.name} GET /login`, path: "/login" },
    dashboard: { title: `${p.name} GET /dashboard (cookie)`, path: "/dashboard", headers: { cookie: p.cookie } },
  };
}

/** The same build and environment as the Latchkey target, under `next start` instead of server.ts. */
async function startNextStart(env: Record<string, string>): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: "ignore",
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`${url}/.well-known/jwks.json`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: pidListeningOn(port),
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

async function timed(fn: () => Promise<Response>, expect: number): Promise<number> {
  const start = performance.now();
  const res = await fn();
  const took = performance.now() - start;
  if (res.status !== expect) throw new Error(`expected ${expect}, got ${res.status}: ${await res.text()}`);
  return took;
}

/** Sequential medians: registration, login and refresh over HTTP, and one bcrypt compare in-process at the same cost. */
async function medians(t: Target): Promise<SideBySide["medians"]> {
  const hash = bcrypt.hashSync(BENCH_PASSWORD, 12);
  const bcryptRuns: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    bcrypt.compareSync(BENCH_PASSWORD, hash);
    bcryptRuns.push(performance.now() - start);
  }
  const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.server.url}${p}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  const register: number[] = [];
  const login: number[] = [];
  for (let i = 0; i < 7; i++) {
    const username = `median${i}${Date.now().toString(36)}`;
    register.push(await timed(() => post("/api/auth/register", { username, password: BENCH_PASSWORD }), 201));
    login.push(await timed(() => post("/api/auth/login", { username: t.username, password: BENCH_PASSWORD }), 200));
  }
  const first = await post("/api/auth/login", { username: t.username, password: BENCH_PASSWORD, token_delivery: "body" });
  let refreshToken = ((await first.json()) as { refresh_token: string }).refresh_token;
  const refresh: number[] = [];
  for (let i = 0; i < 40; i++) {
    const start = performance.now();
    const res = await post("/api/auth/refresh", { refresh_token: refreshToken });
    refresh.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`refresh: ${res.status}`);
    refreshToken = ((await res.json()) as { refresh_token: string }).refresh_token;
  }
  return { bcryptMs: median(bcryptRuns), registerMs: median(register), loginMs: median(login), refreshMs: median(refresh) };
}

export async function sideBySide(): Promise<SideBySide> {
  const started = Date.now();
  say("side by side: starting Latchkey (compiled server, SQLite, BCRYPT_COST=12)");
  const before = performance.now();
  const t = await startTarget("sqlite");
  const coldStartMs = Math.round(performance.now() - before);
  const rssIdle = t.rssAtStart;
  const peers: Peer[] = [];
  let nextStart: Awaited<ReturnType<typeof startNextStart>> | undefined;
  let peersMissing: string | undefined;
  try {
    nextStart = await startNextStart(t.server.env);
    if (!peersAvailable()) peersMissing = "../shared/peers is not here";
    for (const name of peersAvailable() ? (["plain-jose", "authjs"] as const) : []) {
      say(`side by side: starting peer ${name} (serve.sh builds it the first time)`);
      try {
        peers.push(await startPeer(name));
      } catch (e) {
        peersMissing = `${name}: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    const rss: SideBySide["rss"] = { latchkey: { idle: rssIdle, after: 0 }, "next-start": { idle: rssMiBOf(nextStart.pid), after: 0 } };
    for (const p of peers) rss[p.name] = { idle: p.rssMiB(), after: 0 };

    const plan: { server: ServerName; route: Route; base: string; load: Load }[] = [];
    for (const [route, load] of Object.entries(latchkeyLoads(t)) as [Route, Load][])
      plan.push({ server: "latchkey", route, base: t.server.url, load });
    plan.push({
      server: "next-start",
      route: "jwks",
      base: nextStart.url,
      load: { title: "next start GET /.well-known/jwks.json", path: "/.well-known/jwks.json" },
    });
    for (const p of peers)
      for (const [route, load] of Object.entries(peerLoads(p)) as [Route, Load][]) plan.push({ server: p.name, route, base: p.url, load });

    // 3 s a route: V8 is still compiling the hot paths in the first second or two, and a server
    // measured colder than the others would lose to its own warm-up.
    say("side by side: warming up");
    for (const step of plan) await warm(step.base, [step.load], 3);
    const runs: SideBySide["runs"] = {};
    for (let round = 1; round <= ROUNDS; round++) {
      for (const step of plan) {
        say(`side by side: ${step.load.title} (round ${round} of ${ROUNDS})`);
        // A server that has sat idle while the others were measured answers its first seconds
        // slower (on these machines the first route measured after a pause lost up to a third),
        // so each measurement follows 2 s of the same load, discarded.
        await run(step.base, { ...step.load, connections: CONNECTIONS, duration: 2 });
        const measured = await run(step.base, { ...step.load, connections: CONNECTIONS, duration: ROUND_SECONDS });
        const byRoute = (runs[step.server] ??= {});
        const best = byRoute[step.route];
        const unexpected = measured.unexpected + (best?.unexpected ?? 0);
        byRoute[step.route] = { ...(best && best.rps >= measured.rps ? best : measured), unexpected };
      }
    }

    say("side by side: login storm (8 clients, each its own account, signing in back to back) with /api/protected probed alongside");
    const stormSeconds = 10;
    const stormUsers = await registerAccounts(t, 8);
    const [protectedProbe, logins] = await Promise.all([
      run(t.server.url, {
        title: "GET /api/protected during the storm",
        path: "/api/protected",
        headers: { authorization: `Bearer ${t.accessToken}` },
        connections: 1,
        overallRate: 50,
        duration: stormSeconds,
      }),
      loginStorm(t, stormUsers, stormSeconds),
    ]);
    say("side by side: sequential register, login and refresh");
    const med = await medians(t);
    const expectedLoginsPerSecond = Math.round((os.availableParallelism() / (med.bcryptMs / 1000)) * 10) / 10;
    (rss.latchkey as { after: number }).after = t.rssMiB();
    (rss["next-start"] as { after: number }).after = rssMiBOf(nextStart.pid);
    for (const p of peers) (rss[p.name] as { after: number }).after = p.rssMiB();
    return {
      runs,
      rss,
      coldStartMs,
      storm: { logins, protectedProbe, expectedLoginsPerSecond },
      medians: med,
      peersMissing,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await Promise.all([...peers.map((p) => p.stop()), nextStart?.stop(), t.close()]);
  }
}
