// Renders BENCHMARKS.md from one run's measurements. The prose explains what each ratio means;
// the numbers are this run's, so the file never disagrees with the tables.
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Provider } from "@/test/support/databases";
import type { Measured } from "./load";

export type ProviderResult = {
  provider: Provider;
  runs: Record<"health" | "jwks" | "protected" | "login" | "dashboard", Measured>;
  probeIdle: Measured;
  probeDuringLogins: Measured;
  logins: Measured;
  rssIdle: number;
  rssAfter: number;
  lookupUs: number;
};

export type Facts = {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  next: string;
  loadBefore: number;
};

export function machineFacts(): Facts {
  const nextPkg = JSON.parse(readFileSync(path.join(__dirname, "..", "node_modules/next/package.json"), "utf8")) as { version: string };
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    next: nextPkg.version,
    // Other work on the machine skews everything; the report says how busy it was.
    loadBefore: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

const NAMES: Record<Provider, string> = { sqlite: "SQLite", postgresql: "PostgreSQL" };
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "n/a");
const ms = (v: number) => (v < 10 ? v.toFixed(1) : String(Math.round(v)));

function endpointTable(results: ProviderResult[], rows: [keyof ProviderResult["runs"], string][]): string {
  const head = `| request | what the server does | ${results.map((r) => `${NAMES[r.provider]} req/s | p50 ms | p99 ms`).join(" | ")} |`;
  const sep = `|---|---|${results.map(() => "--:|--:|--:").join("|")}|`;
  const body = rows.map(([key, what]) => {
    const cells = results.map((r) => `${r.runs[key].rps} | ${ms(r.runs[key].p50)} | ${ms(r.runs[key].p99)}`);
    return `| \`${results[0]?.runs[key].title}\` | ${what} | ${cells.join(" | ")} |`;
  });
  return [head, sep, ...body].join("\n");
}

function perProvider(results: ProviderResult[], rows: [string, (r: ProviderResult) => string][]): string {
  const head = `| | ${results.map((r) => NAMES[r.provider]).join(" | ")} |`;
  const sep = `|---|${results.map(() => "--:").join("|")}|`;
  return [head, sep, ...rows.map(([label, cell]) => `| ${label} | ${results.map(cell).join(" | ")} |`)].join("\n");
}

export function renderReport(input: {
  facts: Facts;
  results: ProviderResult[];
  verifyUs: number;
  problems: string[];
  seconds: number;
}): string {
  const { facts, results, verifyUs } = input;
  const lookups = results.map((r) => `${r.lookupUs} µs on ${NAMES[r.provider]}`).join(", ");
  const checkShare = results
    .map((r) => `${NAMES[r.provider]} ${Math.round((1 - r.runs.protected.rps / r.runs.jwks.rps) * 100)} %`)
    .join(", ");

  return `# Benchmarks

Written by \`npm run bench\` (about ${input.seconds} s) on ${facts.date}. Run it again to
refresh this file; numbers from other machines are not comparable with these, ratios roughly are.
\`BENCH_PROVIDERS=sqlite npm run bench\` measures one database only. Needs a production build
(\`npm run build\`) and, for PostgreSQL, the server on 127.0.0.1:5432.

| machine | |
|---|---|
| CPU | ${facts.cpu}, ${facts.cores} cores (nproc) |
| memory | ${facts.memoryGiB} GiB |
| Node.js | ${facts.node} |
| OS | ${facts.os} |
| Next.js | ${facts.next} |
| 1-minute load average when the run began | ${facts.loadBefore}${facts.loadBefore > facts.cores / 2 ? " (**busy: other work shared the cores; treat the numbers as noisy**)" : ""} |

**Method.** For each database, one production server (the compiled \`dist/server.mjs\`, exactly as
\`npm start\` runs it; bcrypt cost 12, every other setting at its production default except a 15-minute access
token so none expires mid-run) on a fresh database, reached over loopback. autocannon runs in the
benchmark's own process on the same ${facts.cores} cores, so the load generator competes with the
server for CPU: absolute requests per second are a floor, and the ratios are the point. Each row
in sections 1 and 2: 10 connections, the better of two interleaved 3 s rounds, after a 2 s warm-up
of every route. No run may see an unexpected status
(below: ${input.problems.length === 0 ? "none did" : "**some did**"}).
${input.problems.length ? `\n${input.problems.map((p) => `- ${p}`).join("\n")}\n` : ""}
## 1. What the per-request session check costs

${endpointTable(results, [
  ["jwks", "no token, no database: the HTTP + Next.js floor"],
  ["health", "no token; `SELECT 1`, a success kept 100 ms"],
  ["protected", "verify the JWT (ES256), then read the session row"],
])}

${perProvider(results, [
  ["protected ÷ jwks (throughput kept with the full check)", (r) => ratio(r.runs.protected.rps, r.runs.jwks.rps)],
  ["in-process session lookup, µs per call", (r) => String(r.lookupUs)],
  ["in-process token verification, µs per call", () => String(verifyUs)],
])}

Every Node-side request re-verifies the token and reads its session, so revocation is felt on the
next request (SPEC "Revocation"). In-process, with no HTTP around it, verification costs
${verifyUs} µs and the session lookup ${lookups}. Over HTTP the full check leaves
${results.map((r) => `${ratio(r.runs.protected.rps, r.runs.jwks.rps)} (${NAMES[r.provider]})`).join(" and ")} of the throughput of a route that does
neither, i.e. it takes ${checkShare} of the work per request at saturation; the rest is Next.js
routing and HTTP, which every route pays. See docs/decisions/0007-session-check-cost.md.
## 2. Pages: a prerendered one and one rendered per request

${endpointTable(results, [
  ["login", "server.ts sends the prerendered copy from memory (no middleware, no Next)"],
  ["dashboard", "server.ts sends it to the fill route: the token verified, the session read, the prerendered shell filled"],
])}

${perProvider(results, [["dashboard ÷ login (throughput)", (r) => ratio(r.runs.dashboard.rps, r.runs.login.rps)]])}

A signed-out visit to \`/login\` never reaches Next: server.ts answers it with the HTML the build
prerendered, held in memory (docs/decisions/0020-prerendered-pages.md). A plain visit to the
dashboard goes to a Next route handler that makes the page's own checks (the token verified, the
session read) and puts the person's values into the shell the build prerendered for the page's
structure and theme (docs/decisions/0023-dashboard-shell.md); neither the Edge middleware nor
Next's page render runs. The ratio is what that costs against a static answer.

## 3. Logins (bcrypt cost 12, piscina pool of 2 threads)

${perProvider(results, [
  ["logins per second (4 clients, each its own account, 8 s)", (r) => String(r.logins.rps)],
  ["login latency p50 / p99, ms", (r) => `${ms(r.logins.p50)} / ${ms(r.logins.p99)}`],
  ["`/api/health` at 50 req/s while idle: p50 / p99, ms", (r) => `${ms(r.probeIdle.p50)} / ${ms(r.probeIdle.p99)}`],
  ["the same probe during the logins: p50 / p99, ms", (r) => `${ms(r.probeDuringLogins.p50)} / ${ms(r.probeDuringLogins.p99)}`],
])}

A login is one bcrypt comparison at cost 12 plus a few writes (session, audit, throttle reset).
Hashing runs in worker threads, so the ceiling is the cores' bcrypt rate (about
${results.map((r) => `${r.logins.rps} per second with ${NAMES[r.provider]}`).join(", ")} here; a cost-12
hash takes about 0.3 s of one core). The probe's latency during the logins is what every other
request waits meanwhile. Contributors: the two cores are shared by the two hashing threads, the
server's main thread and the load generator; and on SQLite each login's commits run synchronously
on the event loop (better-sqlite3 has no asynchronous API). What the pool avoids is worse: a cost-12 hash on the main thread would hold every request for
about 300 ms (docs/decisions/0003-password-hashing.md).

## 4. Memory (the server process's VmRSS)

${perProvider(results, [
  ["after start, idle, MiB", (r) => String(r.rssIdle)],
  ["after all the runs above, MiB", (r) => String(r.rssAfter)],
])}

Read from \`/proc/<pid>/status\` of the node process that listens on the port (\`node dist/server.mjs\`,
as \`npm start\` runs it). The growth is V8's heap filling up to the old-space cap \`npm start\` sets
(\`--max-old-space-size=192\`; without it V8 sizes the limit from the machine's memory and a busy
server sat at 700 MiB), plus the bcrypt threads, which exit after 30 s idle. It is not a leak:
after a forced full collection the live heap is about 100 MiB. README "Production deployment" says
what each part costs.
`;
}
