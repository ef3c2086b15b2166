import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CachedSession, SessionCache } from "@/lib/auth/session-cache";
import { postgresFeed } from "@/lib/auth/session-feeds";
import { PROVIDERS } from "@/test/support/databases";
import { createTestDb, type TestDb } from "@/test/support/test-db";
import { createListener, type Listener, notify } from "./notify";
import { parseDbUrl } from "./url";

/** Waits for `condition` (an event the test caused), failing after a generous deadline. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const live: CachedSession = {
  userId: "u1",
  user: { id: "u1", username: "u1", email: null, emailVerified: false, role: "user", createdAt: new Date(0) },
  impersonator: null,
  expiresAt: new Date(Date.now() + 60_000),
  lastUsedAt: new Date(),
};

describe.runIf(PROVIDERS.includes("postgresql"))("LISTEN/NOTIFY for the session cache", () => {
  let t: TestDb;
  let connectionString = "";
  const closing: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    t = await createTestDb("postgresql");
    const target = parseDbUrl(t.url);
    if (target.provider !== "postgresql") throw new Error("expected PostgreSQL");
    connectionString = target.connectionString;
  });
  afterAll(async () => {
    for (const c of closing) await c.close();
    await t.cleanup();
  });

  function listen(channel: string, opts: { retryMs?: number } = {}) {
    const messages: string[] = [];
    let lost = 0;
    const listener: Listener = createListener({
      connectionString,
      channel,
      onMessage: (m) => void messages.push(m),
      onLost: () => void lost++,
      heartbeatMs: 60_000,
      ...opts,
    });
    closing.push(listener);
    listener.start();
    return { listener, messages, lost: () => lost };
  }

  it("hears a NOTIFY only when its transaction commits", async () => {
    const { listener, messages } = listen("test_commit");
    await until(() => listener.listening, "listening");
    await t.db
      .$transaction(async (tx) => {
        await notify(tx, "test_commit", "rolled back");
        throw new Error("roll back");
      })
      .catch(() => undefined);
    await t.db.$transaction(async (tx) => notify(tx, "test_commit", "committed"));
    await until(() => messages.length > 0, "a message");
    expect(messages).toEqual(["committed"]);
  });

  it("reports a lost connection, stops listening, and listens again by itself", async () => {
    const { listener, messages, lost } = listen("test_lost", { retryMs: 50 });
    await until(() => listener.listening, "listening");
    await t.db.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN "test_lost"'`;
    await until(() => lost() === 1, "the loss reported");
    await until(() => listener.listening, "listening again");
    await notify(t.db, "test_lost", "after");
    await until(() => messages.length > 0, "a message after reconnecting");
    expect(messages).toEqual(["after"]);
  });

  it("one process's invalidation empties another's cache; a lost listener empties it too", async () => {
    const caches: SessionCache[] = [];
    for (let i = 0; i < 2; i++) {
      // A clock that stands still: nothing here expires by the TTL, only by the feed.
      const cache: SessionCache = new SessionCache(
        postgresFeed(connectionString, () => cache),
        { monotonic: () => 0 },
      );
      closing.push(cache);
      caches.push(cache);
    }
    const [a, b] = caches as [SessionCache, SessionCache];
    await until(() => a.begin() !== null && b.begin() !== null, "both listening");
    b.put(b.begin(), "s1", live);
    b.put(b.begin(), "s2", live);
    expect(b.get("s1")).toBeDefined();
    await t.db.$transaction(async (tx) => a.invalidate(tx, { sessionId: "s1" }));
    await until(() => b.get("s1") === undefined, "s1 dropped on the other process");
    expect(b.get("s2")).toBeDefined();

    await t.db.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN "latchkey_sessions"'`;
    await until(() => b.get("s2") === undefined, "everything forgotten when the listener is lost");
  });
});
