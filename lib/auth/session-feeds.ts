// How each database provider tells this process about other processes' writes, for the
// session-validity cache (docs/decisions/0021-auth-caches.md).
import type { Config } from "@/lib/config";
import { sqliteDataVersion } from "@/lib/db/data-version";
import { createListener, notify } from "@/lib/db/notify";
import { parseDbUrl } from "@/lib/db/url";
import { type ChangeFeed, type Invalidation, SessionCache } from "./session-cache";

export const SESSION_CHANNEL = "latchkey_sessions";

export function encodeInvalidation(change: Invalidation): string {
  return JSON.stringify("sessionId" in change ? { s: change.sessionId } : { u: change.userId });
}

/** The change a payload names, or null when it cannot be read (the receiver then forgets everything). */
export function decodeInvalidation(payload: string): Invalidation | null {
  try {
    const parsed = JSON.parse(payload) as { s?: unknown; u?: unknown };
    if (typeof parsed.s === "string") return { sessionId: parsed.s };
    if (typeof parsed.u === "string") return { userId: parsed.u };
  } catch {}
  return null;
}

/**
 * PostgreSQL: LISTEN on a dedicated connection, NOTIFY in the writer's transaction. Nothing is
 * cached until the listener is listening, and everything is forgotten when it stops.
 */
export function postgresFeed(connectionString: string, cache: () => SessionCache): ChangeFeed {
  const listener = createListener({
    connectionString,
    channel: SESSION_CHANNEL,
    onMessage: (payload) => {
      const change = decodeInvalidation(payload);
      if (change) cache().received(change);
      else cache().clear();
    },
    onLost: () => cache().clear(),
  });
  return {
    ready() {
      if (listener.listening) return true;
      listener.start();
      return false;
    },
    version: () => 0,
    publish: (db, change) => notify(db, SESSION_CHANNEL, encodeInvalidation(change)),
    close: () => listener.close(),
  };
}

/**
 * SQLite: several processes can share one file (a second server, the command line), and any
 * commit by any of them moves data_version, which empties the cache. Nothing to publish.
 */
export function sqliteFeed(file: string): ChangeFeed {
  const dataVersion = sqliteDataVersion(file);
  return {
    ready: () => true,
    version: () => dataVersion.read(),
    publish: async () => undefined,
    close: async () => dataVersion.close(),
  };
}

/** The process's session cache for DATABASE_URL. */
export function sessionCacheFor(cfg: Pick<Config, "DATABASE_URL">): SessionCache {
  const target = parseDbUrl(cfg.DATABASE_URL);
  if (target.provider === "sqlite") return new SessionCache(sqliteFeed(target.file));
  let cache: SessionCache | undefined;
  cache = new SessionCache(postgresFeed(target.connectionString, () => cache as SessionCache));
  return cache;
}
