// Page throughput, one row per address and request shape: `tsx bench/pages.ts [path ...]` against
// a production build (NEXT_DIST_DIR), with autocannon -c 16. Interleaved rounds, best of each, as
// bench/run.ts does. Not part of `npm run bench`'s report: a tool for comparing two builds.
import { type Load, run, warm } from "./load";
import { startTarget } from "./target";

const ROUNDS = Number(process.env.PAGES_ROUNDS ?? 2);
const SECONDS = Number(process.env.PAGES_SECONDS ?? 5);

async function main(): Promise<void> {
  const t = await startTarget("sqlite");
  try {
    const signedIn = { cookie: t.cookie };
    const loads: Load[] = [
      { title: "/login", path: "/login" },
      { title: "/login (dark)", path: "/login", headers: { cookie: "latchkey_theme=dark" } },
      { title: "/login?next=/account", path: "/login?next=%2Faccount" },
      { title: "/signup", path: "/signup" },
      { title: "/forgot-password", path: "/forgot-password" },
      { title: "/", path: "/" },
      { title: "/nope (404)", path: "/nope", expect: 404 },
      { title: "/dashboard (cookie)", path: "/dashboard", headers: signedIn },
      ...process.argv.slice(2).map((arg): Load => {
        const [path = "/", expect = "200", withCookie = ""] = arg.split(",");
        return { title: `${path}${withCookie ? " (cookie)" : ""}`, path, expect: Number(expect), headers: withCookie ? signedIn : {} };
      }),
    ].map((l) => ({ connections: 16, duration: SECONDS, ...l }));
    await warm(t.server.url, loads);
    const best = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const load of loads) {
        const m = await run(t.server.url, load);
        if (m.unexpected > 0) process.stderr.write(`${load.title}: ${m.unexpected} unexpected\n`);
        best.set(load.title, Math.max(best.get(load.title) ?? 0, m.rps));
      }
    }
    for (const [title, rps] of best) process.stdout.write(`${title.padEnd(36)} ${String(rps).padStart(8)} req/s\n`);
  } finally {
    await t.close();
  }
}

void main();
