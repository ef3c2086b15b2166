import { describe, expect, it } from "vitest";
import { type CachedSession, type ChangeFeed, type Invalidation, SESSION_CACHE_TTL_MS, SessionCache } from "./session-cache";

/** A feed the test drives: ready or not, a version it moves, and what was published. */
function testFeed() {
  const published: Invalidation[] = [];
  const state = { ready: true, version: 1 as number | null };
  const feed: ChangeFeed = {
    ready: () => state.ready,
    version: () => state.version,
    publish: async (_db, change) => void published.push(change),
    close: async () => undefined,
  };
  return { feed, state, published };
}

function setup() {
  const { feed, state, published } = testFeed();
  let now = 1_000;
  const cache = new SessionCache(feed, { monotonic: () => now });
  const advance = (ms: number) => void (now += ms);
  return { cache, state, published, advance };
}

const db = { $executeRaw: (() => Promise.resolve(0)) as never };

function session(userId: string, impersonatorId?: string): CachedSession {
  return {
    userId,
    user: { id: userId, username: userId, email: null, emailVerified: false, role: "user", createdAt: new Date(0) },
    impersonator: impersonatorId ? { id: impersonatorId, username: impersonatorId } : null,
    expiresAt: new Date(Date.now() + 60_000),
    lastUsedAt: new Date(),
  };
}

function fill(cache: SessionCache, id: string, value: CachedSession): void {
  cache.put(cache.begin(), id, value);
}

describe("session-validity cache", () => {
  it("answers a filled session until the TTL from the read's start, then asks again", () => {
    const { cache, advance } = setup();
    const ticket = cache.begin();
    advance(100);
    cache.put(ticket, "s1", session("u1"));
    expect(cache.get("s1")?.userId).toBe("u1");
    advance(SESSION_CACHE_TTL_MS - 101);
    expect(cache.get("s1")).toBeDefined();
    advance(1);
    expect(cache.get("s1")).toBeUndefined();
  });

  it("drops a session when it is invalidated, and holds refills back until the write committed", async () => {
    const { cache, published, advance } = setup();
    fill(cache, "s1", session("u1"));
    fill(cache, "s2", session("u1"));
    await cache.invalidate(db, { sessionId: "s1" });
    expect(published).toEqual([{ sessionId: "s1" }]);
    expect(cache.get("s1")).toBeUndefined();
    expect(cache.get("s2")).toBeDefined();
    // A read racing the revoking transaction may still see the old row: it is not kept.
    fill(cache, "s1", session("u1"));
    expect(cache.get("s1")).toBeUndefined();
    advance(10_001);
    fill(cache, "s1", session("u1"));
    expect(cache.get("s1")).toBeDefined();
  });

  it("an account's invalidation drops its sessions and the impersonations it runs, nobody else's", async () => {
    const { cache } = setup();
    fill(cache, "own", session("admin"));
    fill(cache, "acting", session("person", "admin"));
    fill(cache, "bystander", session("other"));
    await cache.invalidate(db, { userId: "admin" });
    expect(cache.get("own")).toBeUndefined();
    expect(cache.get("acting")).toBeUndefined();
    expect(cache.get("bystander")).toBeDefined();
    fill(cache, "acting", session("person", "admin"));
    expect(cache.get("acting")).toBeUndefined();
  });

  it("refuses a fill whose read started before any invalidation arrived (another instance's, say)", () => {
    const { cache } = setup();
    const ticket = cache.begin();
    cache.received({ sessionId: "unrelated" });
    cache.put(ticket, "s1", session("u1"));
    expect(cache.get("s1")).toBeUndefined();
    cache.received({ userId: "u1" });
    expect(cache.size).toBe(0);
  });

  it("caches nothing while the feed is not ready, and forgets everything when it stops being", () => {
    const { cache, state } = setup();
    fill(cache, "s1", session("u1"));
    state.ready = false;
    expect(cache.get("s1")).toBeUndefined();
    expect(cache.begin()).toBeNull();
    fill(cache, "s2", session("u2"));
    state.ready = true;
    expect(cache.get("s1")).toBeUndefined();
    expect(cache.get("s2")).toBeUndefined();
  });

  it("empties when the database version moves (SQLite: any other connection committed), and when unknown", () => {
    const { cache, state } = setup();
    fill(cache, "s1", session("u1"));
    const ticket = cache.begin();
    state.version = 2;
    expect(cache.get("s1")).toBeUndefined();
    cache.put(ticket, "s2", session("u2"));
    expect(cache.get("s2")).toBeUndefined();
    fill(cache, "s3", session("u3"));
    expect(cache.get("s3")).toBeDefined();
    state.version = null;
    expect(cache.get("s3")).toBeUndefined();
    expect(cache.begin()).toBeNull();
  });

  it("stays bounded, dropping the least recently used", () => {
    const { cache } = setup();
    for (let i = 0; i < 10_005; i++) fill(cache, `s${i}`, session(`u${i}`));
    expect(cache.size).toBe(10_000);
    expect(cache.get("s0")).toBeUndefined();
    expect(cache.get("s10004")).toBeDefined();
  });

  it("clear() (a lost listener, an unreadable message) forgets everything and refuses reads in flight", () => {
    const { cache } = setup();
    fill(cache, "s1", session("u1"));
    const ticket = cache.begin();
    cache.clear();
    cache.put(ticket, "s2", session("u2"));
    expect(cache.size).toBe(0);
  });
});
