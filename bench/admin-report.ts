// Renders the "Admin console at 100k users" section of BENCHMARKS.md from one run of bench/admin.ts.
// The section is the file's last; a run that measures only it replaces only it (spliceSection).
import type { AdminResult, AdminRowKey, SizeResult, Timing } from "./admin";
import { EXPORT_TYPE } from "./admin";
import type { Facts } from "./report";

export const ADMIN_HEADING = "## Admin console at 100k users";

const NAMES = { sqlite: "SQLite", postgresql: "PostgreSQL" } as const;
const GOAL = 1.5;

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
const count = (n: number) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

const ROWS: [AdminRowKey, (s: SizeResult) => string, boolean][] = [
  ["usersFirst", () => "`GET /api/admin/users?limit=20`: page 1, newest first", true],
  ["usersLast", (s) => `the same, last page (${s.walk.lastPageRows} rows; its cursor found by walking ${s.walk.pages} pages)`, true],
  ["searchHit", (s) => `\`?q=${s.subjects.prefix}\`: prefix of an existing username`, true],
  ["searchMiss", () => "`?q=qzxv`: a prefix nobody has", true],
  ["auditFirst", () => "`GET /api/admin/audit`: page 1, 50 newest events", true],
  ["auditUser", (s) => `\`?user=<username>\`: one account's events (${s.subjects.userEvents})`, true],
  ["auditType", () => "`?type=login_failure`: page 1", true],
  [
    "exportUser",
    (s) => `\`GET /api/admin/audit/export?format=ndjson&user=<username>\`: whole stream (${s.subjects.userEvents} events)`,
    true,
  ],
  ["exportType", (s) => `\`…/export?format=ndjson&type=${EXPORT_TYPE}\`: whole stream (${s.subjects.typeEvents} events)`, false],
];

function ratio(small: Timing, large: Timing): number {
  return small.p50 > 0 ? large.p50 / small.p50 : Number.NaN;
}

function table(r: AdminResult): string {
  const [small, large] = [r.sizes[0], r.sizes.at(-1)];
  if (!small || !large) return "(not measured)";
  const head = `| request (${NAMES[r.provider]}) | ${count(small.users)}: p50 / p99 ms | ${count(large.users)}: p50 / p99 ms | ${count(large.users)} ÷ ${count(small.users)} (p50) | goal ≤ ${GOAL}× |`;
  const body = ROWS.map(([key, title, goal]) => {
    const [a, b] = [small.rows[key], large.rows[key]];
    const x = ratio(a, b);
    const verdict = !goal ? "n/a (grows with the matches)" : x <= GOAL ? "met" : "**missed**";
    return `| ${title(large)} | ${ms(a.p50)} / ${ms(a.p99)} | ${ms(b.p50)} / ${ms(b.p99)} | ${Number.isNaN(x) ? "n/a" : x.toFixed(2)} | ${verdict} |`;
  });
  return [head, "|---|--:|--:|--:|---|", ...body].join("\n");
}

function probeTable(results: AdminResult[]): string {
  const cols = results.flatMap((r) => r.sizes.map((s) => ({ name: `${NAMES[r.provider]} ${count(s.users)}`, s })));
  const head = `| \`GET /api/protected\`, 50 req/s, p50 / p99 ms | ${cols.map((c) => c.name).join(" | ")} |`;
  const sep = `|---|${cols.map(() => "--:").join("|")}|`;
  const row = (label: string, cell: (s: SizeResult) => string) => `| ${label} | ${cols.map((c) => cell(c.s)).join(" | ")} |`;
  return [
    head,
    sep,
    row("alone", (s) => `${ms(s.probe.idle.p50)} / ${ms(s.probe.idle.p99)}`),
    row("while another client pages through the audit log (100 per page)", (s) => `${ms(s.probe.paging.p50)} / ${ms(s.probe.paging.p99)}`),
    row("audit pages per second that client read meanwhile", (s) => String(s.probe.pagesPerSecond)),
  ].join("\n");
}

function seedTable(results: AdminResult[]): string {
  const cols = results.flatMap((r) => r.sizes.map((s) => ({ name: `${NAMES[r.provider]} ${count(s.users)}`, s })));
  const head = `| \`npm run db:seed -- --users N --seed bench\` | ${cols.map((c) => c.name).join(" | ")} |`;
  const sep = `|---|${cols.map(() => "--:").join("|")}|`;
  const row = (label: string, cell: (s: SizeResult) => string) => `| ${label} | ${cols.map((c) => cell(c.s)).join(" | ")} |`;
  return [
    head,
    sep,
    row("accounts (seeded, plus the benchmark's admin)", (s) => String(s.users)),
    row("audit events", (s) => String(s.events)),
    row("seconds to seed (migrations, accounts, sessions, chained events)", (s) => String(s.seedSeconds)),
  ].join("\n");
}

/** Unexpected statuses in any admin row, one line each. */
export function adminProblems(results: AdminResult[]): string[] {
  return results.flatMap((r) =>
    r.sizes.flatMap((s) => {
      const timings: [string, Timing][] = [
        ...(Object.entries(s.rows) as [string, Timing][]),
        ["protected probe", s.probe.idle],
        ["protected probe while paging", s.probe.paging],
      ];
      return timings
        .filter(([, t]) => t.unexpected > 0)
        .map(([k, t]) => `${NAMES[r.provider]} ${count(s.users)} ${k}: ${t.unexpected} of ${t.n} responses were not 200`);
    }),
  );
}

export function renderAdminSection(input: { facts: Facts; results: AdminResult[]; seconds: number }): string {
  const { facts, results } = input;
  const problems = adminProblems(results);
  const missed = results.flatMap((r) => {
    const [small, large] = [r.sizes[0], r.sizes.at(-1)];
    if (!small || !large || small === large) return [];
    return ROWS.filter(([key, , goal]) => goal && ratio(small.rows[key], large.rows[key]) > GOAL).map(
      ([key]) => `${NAMES[r.provider]} ${key}`,
    );
  });
  return `${ADMIN_HEADING}

Written by \`npm run bench\` (this section alone: \`BENCH_SECTIONS=admin npm run bench\`, about ${input.seconds} s) on ${facts.date},
1-minute load average ${facts.loadBefore} when it began${facts.loadBefore > facts.cores / 2 ? " (**busy: treat the numbers as noisy**)" : ""}.
\`BENCH_ADMIN_USERS=1000,100000\` sets the sizes and \`BENCH_PROVIDERS\` the databases, as above.

**Method.** For each database and size, a fresh database is filled by the seeder (\`scripts/lib/seed.ts\`,
what \`npm run db:seed\` runs: about ten hash-chained audit events and up to three sessions per
account), then the production server of section 1 starts on it and one admin signs in. Each row
is the same request repeated **sequentially** for about 2 s (at least 15 times, after 5 unmeasured
ones; exports at least 5 times in 3 s), timed by the client from sending to the last byte: one
query's cost, without queueing behind other requests. The goal is that the large database costs at
most ${GOAL}× the small one for a page of the same size: keyset cursors and prefix ranges are index
seeks, so the cost should not grow with the tables. An export of one type grows with the number of
events it contains and has no such goal. Every response must be a 200
(${problems.length === 0 ? "all were" : "**some were not**"}).
${problems.length ? `\n${problems.map((p) => `- ${p}`).join("\n")}\n` : ""}
${seedTable(results)}

${results.map(table).join("\n\n")}

${missed.length === 0 ? "Every listing met the goal on every database measured." : `Missed the goal: ${missed.join(", ")}.`}

**A light client while an admin reads the log.** One client asks \`/api/protected\` 50 times a
second, first alone, then while a second client pages through the whole audit log from the newest
event, 100 per page, as fast as the server answers:

${probeTable(results)}
`;
}
