// Thin wrappers over autocannon: a fixed-duration run, and the few numbers the report uses.
import autocannon, { type Options, type Result } from "autocannon";

export type Measured = {
  title: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Responses whose status was not the one expected, plus connection errors and timeouts. */
  unexpected: number;
};

export type Load = Omit<Options, "url" | "title"> & { title: string; path: string; expect?: number };

function summarise(load: Load, r: Result): Measured {
  const expected = String(load.expect ?? 200);
  const good = r.statusCodeStats[expected]?.count ?? 0;
  return {
    title: load.title,
    // One decimal where it matters (logins run at a few per second).
    rps: Math.round((r.requests.total / r.duration) * 10) / 10,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    unexpected: r.requests.total - good + r.errors + r.timeouts,
  };
}

export async function run(base: string, load: Load): Promise<Measured> {
  const { path, expect: _expect, title, ...opts } = load;
  const result = await autocannon({ connections: 10, duration: 5, timeout: 30, ...opts, url: `${base}${path}`, title });
  return summarise(load, result);
}

/** Warms the JIT, Next's route caches and the connection pool; results are discarded. */
export async function warm(base: string, loads: Load[], seconds = 2): Promise<void> {
  for (const load of loads) await run(base, { ...load, duration: seconds });
}

/** The middle value (the upper one of an even count); 0 for none. */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
