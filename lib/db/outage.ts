// App Router pages cannot choose a 503: a database outage thrown during a render becomes Next's
// 500. The page side records the outage here (process-wide, shared with server.ts, which runs in
// the same process) so the server can report that 500 as what it is: 503, retry shortly.
const KEY = Symbol.for("latchkey.db.outageAt");
type Holder = { [KEY]?: number };

/** How long after a failed database call a page's 500 is still attributed to the outage. */
const ATTRIBUTION_MS = 10_000;

export function recordDbOutage(now = Date.now()): void {
  (globalThis as Holder)[KEY] = now;
}

export function recordDbRecovered(): void {
  delete (globalThis as Holder)[KEY];
}

/**
 * Whether a failure at or after `since` (a request's start) is the outage's: one recorded less
 * than the attribution window before it, or any time after it, however long the request took.
 */
export function isDbOutageRecent(since = Date.now()): boolean {
  const at = (globalThis as Holder)[KEY];
  return at !== undefined && since - at < ATTRIBUTION_MS;
}
