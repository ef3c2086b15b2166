// The admin console's rows: the same production server, on databases seeded by `npm run db:seed`
// (scripts/lib/seed.ts) at a small and a large size, asked the admin console's questions by an
// admin with a Bearer token. Each request is timed on its own, one after the other (no
// concurrency): the figure is what one query costs the server, so the large/small ratio shows
// whether the listings stay index ranges as the tables grow.
import { performance } from "node:perf_hooks";
import { type SeedResult, seedDatabase } from "@/scripts/lib/seed";
import type { Provider } from "@/test/support/databases";
import { startTarget, type Target } from "./target";

export type Timing = { p50: number; p99: number; n: number; unexpected: number; bytes: number };

export type AdminRowKey =
  | "usersFirst"
  | "usersLast"
  | "searchHit"
  | "searchMiss"
  | "auditFirst"
  | "auditUser"
  | "auditType"
  | "exportUser"
  | "exportType";

export type SizeResult = {
  users: number;
  events: number;
  seedSeconds: number;
  /** Requests it took to walk the user list to its last page, and how long. */
  walk: { pages: number; seconds: number; lastPageRows: number };
  /** What the rows asked for (the user, prefix and type chosen from the seeded data). */
  subjects: { username: string; prefix: string; userEvents: number; typeEvents: number };
  rows: Record<AdminRowKey, Timing>;
  probe: { idle: Timing; paging: Timing; pagesPerSecond: number };
};

export type AdminResult = { provider: Provider; sizes: SizeResult[] };

/** The event type whose whole export is timed: rare enough to stream in seconds at 100k accounts. */
export const EXPORT_TYPE = "user_disabled";
const NO_MATCH = "qzxv";
const PAGE = 20;

function say(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const round = (ms: number) => Math.round(ms * 100) / 100;

async function fetchAll(url: string, headers: Record<string, string>): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(url, { headers });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - started };
}

/** Sequential requests for about `seconds` (at least `min`, at most `max`), after a few to warm up. */
async function timed(
  url: string,
  headers: Record<string, string>,
  opts: { seconds?: number; min?: number; max?: number; warm?: number } = {},
): Promise<Timing> {
  const { seconds = 2, min = 15, max = 400, warm = 5 } = opts;
  for (let i = 0; i < warm; i++) await fetchAll(url, headers);
  const times: number[] = [];
  let unexpected = 0;
  let bytes = 0;
  const started = performance.now();
  while (times.length < max && (times.length < min || performance.now() - started < seconds * 1000)) {
    const r = await fetchAll(url, headers);
    if (r.status !== 200) unexpected++;
    bytes = r.body.length;
    times.push(r.ms);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 0.5)), p99: round(percentile(times, 0.99)), n: times.length, unexpected, bytes };
}

/** Requests paced at `rate` per second for `seconds`, sequentially: the latency a light client sees. */
async function probe(url: string, headers: Record<string, string>, seconds: number, rate = 50): Promise<Timing> {
  const times: number[] = [];
  let unexpected = 0;
  const started = performance.now();
  for (let k = 0; performance.now() - started < seconds * 1000; k++) {
    const due = started + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const r = await fetchAll(url, headers);
    if (r.status !== 200) unexpected++;
    times.push(r.ms);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 0.5)), p99: round(percentile(times, 0.99)), n: times.length, unexpected, bytes: 0 };
}

type Page = { nextCursor: string | null };

// The bench's own admin makes the total a multiple of the page size, so the last page is a full one.

/**
 * Follows the user list's cursors to the end and returns the cursor that opens its last page.
 * Keyset cursors are positions, so the walk takes the largest pages and only its end the real size.
 */
async function lastUsersCursor(
  base: string,
  headers: Record<string, string>,
): Promise<{ cursor: string | null; pages: number; lastPageRows: number }> {
  let pages = 0;
  let lastPageRows = 0;
  const walk = async (from: string | null, limit: number): Promise<string | null> => {
    let cursor = from;
    for (;;) {
      const url = `${base}/api/admin/users?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const r = await fetchAll(url, headers);
      if (r.status !== 200) throw new Error(`users page ${pages + 1}: ${r.status} ${r.body.slice(0, 200)}`);
      pages++;
      const page = JSON.parse(r.body) as Page & { users: unknown[] };
      lastPageRows = page.users.length;
      const next = page.nextCursor;
      if (!next) return cursor;
      cursor = next;
    }
  };
  const cursor = await walk(await walk(null, 100), PAGE);
  return { cursor, pages, lastPageRows };
}

/** A seeded account in the middle of the list with a typical history (about ten events). */
async function typicalAccount(t: Target): Promise<{ username: string; events: number; typeEvents: number }> {
  const { createDb } = await import("@/lib/db/client");
  const db = createDb(t.db.url);
  try {
    const total = await db.user.count();
    const candidates = await db.user.findMany({
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      skip: Math.floor(total / 2),
      take: 50,
      select: { id: true, username: true },
    });
    const typeEvents = await db.auditEvent.count({ where: { type: EXPORT_TYPE } });
    for (const c of candidates) {
      const events = await db.auditEvent.count({ where: { userId: c.id } });
      if (events >= 9 && events <= 12) return { username: c.username, events, typeEvents };
    }
    const c = candidates[0];
    if (!c) throw new Error("the seeded database has no accounts");
    return { username: c.username, events: await db.auditEvent.count({ where: { userId: c.id } }), typeEvents };
  } finally {
    await db.$disconnect();
  }
}

async function measureSize(provider: Provider, users: number): Promise<SizeResult> {
  let seeded: SeedResult | undefined;
  say(`${provider}: seeding ${users} accounts`);
  const t = await startTarget(provider, {
    prepare: async (url) => {
      seeded = await seedDatabase(url, { users: users - 1, seed: "bench", bcryptCost: 4 });
    },
    admin: true,
  });
  try {
    if (!seeded) throw new Error("the database was not seeded");
    say(`${provider}/${users}: seeded in ${(seeded.ms.total / 1000).toFixed(1)} s; walking the user list to its last page`);
    const base = t.server.url;
    const auth = { authorization: `Bearer ${t.accessToken}` };
    const walkStarted = performance.now();
    const last = await lastUsersCursor(base, auth);
    const walk = { pages: last.pages, seconds: Math.round((performance.now() - walkStarted) / 100) / 10, lastPageRows: last.lastPageRows };
    say(`${provider}/${users}: walked ${walk.pages} pages in ${walk.seconds} s`);
    const who = await typicalAccount(t);
    const prefix = who.username.replace(/[^a-z]/g, "").slice(0, 5);
    const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;
    const urls: Record<AdminRowKey, string> = {
      usersFirst: `/api/admin/users${q({ limit: String(PAGE) })}`,
      usersLast: `/api/admin/users${q({ limit: String(PAGE), ...(last.cursor ? { cursor: last.cursor } : {}) })}`,
      searchHit: `/api/admin/users${q({ q: prefix })}`,
      searchMiss: `/api/admin/users${q({ q: NO_MATCH })}`,
      auditFirst: "/api/admin/audit",
      auditUser: `/api/admin/audit${q({ user: who.username })}`,
      auditType: `/api/admin/audit${q({ type: "login_failure" })}`,
      exportUser: `/api/admin/audit/export${q({ format: "ndjson", user: who.username })}`,
      exportType: `/api/admin/audit/export${q({ format: "ndjson", type: EXPORT_TYPE })}`,
    };
    const rows = {} as Record<AdminRowKey, Timing>;
    for (const [key, path] of Object.entries(urls) as [AdminRowKey, string][]) {
      say(`${provider}/${users}: ${key}`);
      const isExport = key.startsWith("export");
      rows[key] = await timed(`${base}${path}`, auth, isExport ? { seconds: 3, min: 5, max: 100, warm: 2 } : {});
    }

    say(`${provider}/${users}: /api/protected alone, then while another client pages through the audit log`);
    const protectedUrl = `${base}/api/protected`;
    const idle = await probe(protectedUrl, auth, 4);
    let pagesRead = 0;
    let stop = false;
    const pager = (async () => {
      let cursor: string | null = null;
      while (!stop) {
        const r = await fetchAll(`${base}/api/admin/audit?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, auth);
        if (r.status !== 200) throw new Error(`audit page: ${r.status}`);
        pagesRead++;
        cursor = (JSON.parse(r.body) as Page).nextCursor;
      }
    })();
    const pagingStarted = performance.now();
    const paging = await probe(protectedUrl, auth, 4);
    stop = true;
    await pager;
    const pagesPerSecond = Math.round((pagesRead / ((performance.now() - pagingStarted) / 1000)) * 10) / 10;
    return {
      users: seeded.users + 1,
      events: seeded.events,
      seedSeconds: Math.round(seeded.ms.total / 100) / 10,
      walk,
      subjects: { username: who.username, prefix, userEvents: who.events, typeEvents: who.typeEvents },
      rows,
      probe: { idle, paging, pagesPerSecond },
    };
  } finally {
    await t.close();
  }
}

/** The admin rows for one database, at each size (small first). */
export async function benchAdmin(provider: Provider, sizes: number[]): Promise<AdminResult> {
  const results: SizeResult[] = [];
  for (const users of sizes) results.push(await measureSize(provider, users));
  return { provider, sizes: results };
}
