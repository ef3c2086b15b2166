// In-process costs of the two halves of the per-request check, without HTTP around them: the
// app's own access-token verification (jose, ES256) and its session lookup (one indexed read).
import { performance } from "node:perf_hooks";
import type { Provider } from "@/test/support/databases";

export type Micro = { verifyUs: number; lookupUs: Partial<Record<Provider, number>> };

async function perCall(iterations: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(200, iterations); i++) await fn();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return Math.round(((performance.now() - start) * 1000) / iterations);
}

/** Microseconds per verifyAccessToken of a real token issued by the server at `appUrl`. */
export async function measureVerify(opts: { keys: string; appUrl: string; token: string }): Promise<number> {
  // The app reads both from the environment, as the server does.
  process.env.AUTH_SIGNING_KEYS = opts.keys;
  process.env.APP_URL = opts.appUrl;
  const { verifyAccessToken } = await import("@/lib/edge/tokens");
  return perCall(3000, () => verifyAccessToken(opts.token));
}

/** Microseconds per loadLiveSession against the server's database (sequential, one connection's worth). */
export async function measureLookup(opts: { databaseUrl: string; token: string }): Promise<number> {
  const { decodeJwt } = await import("jose");
  const { createDb } = await import("@/lib/db/client");
  const { loadLiveSession } = await import("@/lib/auth/live-session");
  const { NO_FEED, SessionCache } = await import("@/lib/auth/session-cache");
  const { loadConfig } = await import("@/lib/config");
  const { systemClock } = await import("@/lib/deps");
  const claims = decodeJwt(opts.token) as { sid: string; sub: string };
  const db = createDb(opts.databaseUrl);
  // The database read itself, without the session cache in front of it.
  const deps = { db, clock: systemClock, config: loadConfig({ DATABASE_URL: opts.databaseUrl }), sessionCache: new SessionCache(NO_FEED) };
  try {
    const user = await loadLiveSession(deps, claims.sid, claims.sub);
    if (!user) throw new Error("the benchmark session is not live");
    return await perCall(2000, () => loadLiveSession(deps, claims.sid, claims.sub));
  } finally {
    await db.$disconnect();
  }
}
