import { describe, expect, it } from "vitest";
import {
  ACCESS_EXPIRES_AT_KEY,
  type AuthMessage,
  createSessionRefresher,
  type LockLike,
  REFRESHED_AT_KEY,
  type RefresherDeps,
  type StorageLike,
} from "./session-refresher";

// Stand-ins for the browser's outside world: the Web Locks API, localStorage, BroadcastChannel
// and the network. Each "tab" is its own refresher sharing these.
function fakeLocks(): LockLike & { maxHeld: number } {
  const tails = new Map<string, Promise<unknown>>();
  let held = 0;
  const locks = {
    maxHeld: 0,
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      const previous = tails.get(name) ?? Promise.resolve();
      const run = previous.then(async () => {
        held++;
        locks.maxHeld = Math.max(locks.maxHeld, held);
        try {
          return await callback();
        } finally {
          held--;
        }
      });
      tails.set(
        name,
        run.catch(() => undefined),
      );
      return run;
    },
  };
  return locks;
}

function fakeStorage(): StorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

type Answer = { status: number; body?: unknown } | "network-error" | "hang";

function fakeNetwork(answers: Answer[]) {
  const calls: RequestInit[] = [];
  const fetch = async (_url: string, init: RequestInit): Promise<Response> => {
    calls.push(init);
    const answer = answers.shift() ?? { status: 200, body: { expires_in: 300 } };
    await new Promise((r) => setTimeout(r, 5));
    if (answer === "network-error") throw new TypeError("Failed to fetch");
    if (answer === "hang") {
      return new Promise((_resolve, reject) => {
        init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    }
    const body = answer.body === undefined ? null : JSON.stringify(answer.body);
    return new Response(body, { status: answer.status, headers: { "content-type": "application/json" } });
  };
  return { fetch, calls };
}

function tab(overrides: Partial<RefresherDeps> & Pick<RefresherDeps, "fetch" | "now">) {
  const posted: AuthMessage[] = [];
  const events: string[] = [];
  const refresher = createSessionRefresher({
    channel: { postMessage: (m) => void posted.push(m) },
    onRefreshed: (at) => void events.push(`refreshed:${at}`),
    onSignedOut: () => void events.push("signed-out"),
    ...overrides,
  });
  return { refresher, posted, events };
}

describe("createSessionRefresher", () => {
  it("shares one network call among concurrent callers in a tab, even with no locks or storage", async () => {
    const net = fakeNetwork([]);
    const { refresher } = tab({ fetch: net.fetch, now: () => 1_000, locks: null, storage: null });
    const results = await Promise.all([refresher.refresh(), refresher.refresh(), refresher.refresh()]);
    expect(net.calls).toHaveLength(1);
    expect(results.every((r) => r.status === "refreshed" && r.accessExpiresAt === 301_000)).toBe(true);
    expect(net.calls[0]).toMatchObject({ method: "POST", credentials: "same-origin" });
  });

  it("lets only one of two tabs call the server; the other reuses its result", async () => {
    const net = fakeNetwork([]);
    const shared = { fetch: net.fetch, now: () => 50_000, locks: fakeLocks(), storage: fakeStorage() };
    const a = tab(shared);
    const b = tab(shared);
    const [ra, rb] = await Promise.all([a.refresher.refresh(), b.refresher.refresh()]);
    expect(net.calls).toHaveLength(1);
    expect(ra).toEqual({ status: "refreshed", accessExpiresAt: 350_000, reused: false });
    expect(rb).toEqual({ status: "refreshed", accessExpiresAt: 350_000, reused: true });
    expect(shared.locks.maxHeld).toBe(1);
    expect(a.posted).toEqual([{ type: "refreshed", at: 50_000, accessExpiresAt: 350_000 }]);
    expect(b.events).toEqual(["refreshed:350000"]);
  });

  it("sends each of a tab's own successive renewals to the server, even with a short-lived token", async () => {
    const net = fakeNetwork([
      { status: 200, body: { expires_in: 4 } },
      { status: 200, body: { expires_in: 4 } },
    ]);
    let now = 0;
    const storage = fakeStorage();
    const { refresher } = tab({ fetch: net.fetch, now: () => now, storage, locks: fakeLocks() });
    await refresher.refresh();
    now = 2_000; // the keeper renews halfway through a 4 s token
    const second = await refresher.refresh();
    expect(net.calls).toHaveLength(2);
    expect(second).toEqual({ status: "refreshed", accessExpiresAt: 6_000, reused: false });
    expect(storage.map.get(REFRESHED_AT_KEY)).toBe("2000");
  });

  it("reuses a refresh recorded after the caller's request left, not one from before", async () => {
    const net = fakeNetwork([]);
    const storage = fakeStorage();
    storage.setItem(REFRESHED_AT_KEY, "9000");
    storage.setItem(ACCESS_EXPIRES_AT_KEY, "309000");
    const { refresher } = tab({ fetch: net.fetch, now: () => 10_000, storage });
    expect(await refresher.refresh({ since: 8_500 })).toEqual({ status: "refreshed", accessExpiresAt: 309_000, reused: true });
    expect(net.calls).toHaveLength(0);
    expect(await refresher.refresh({ since: 9_500 })).toMatchObject({ reused: false });
    expect(net.calls).toHaveLength(1);
  });

  it("does not reuse a record older than the recent window, whatever `since` says", async () => {
    const net = fakeNetwork([]);
    const storage = fakeStorage();
    storage.setItem(REFRESHED_AT_KEY, "1000");
    storage.setItem(ACCESS_EXPIRES_AT_KEY, "301000");
    const { refresher } = tab({ fetch: net.fetch, now: () => 60_000, storage, recentWindowMs: 10_000 });
    expect(await refresher.refresh({ since: 0 })).toMatchObject({ reused: false });
    expect(net.calls).toHaveLength(1);
  });

  it("does not reuse a recorded refresh from the future (a clock moved backwards)", async () => {
    const net = fakeNetwork([]);
    const storage = fakeStorage();
    storage.setItem(REFRESHED_AT_KEY, "90000");
    storage.setItem(ACCESS_EXPIRES_AT_KEY, "390000");
    const { refresher } = tab({ fetch: net.fetch, now: () => 10_000, storage });
    await refresher.refresh();
    expect(net.calls).toHaveLength(1);
  });

  it("reports signed-out on 401, clears the bookkeeping and tells the other tabs", async () => {
    const net = fakeNetwork([{ status: 401, body: { code: "unauthorized", message: "Sign in." } }]);
    const storage = fakeStorage();
    storage.setItem(REFRESHED_AT_KEY, "1");
    storage.setItem(ACCESS_EXPIRES_AT_KEY, "2");
    const t = tab({ fetch: net.fetch, now: () => 100_000, storage });
    expect(await t.refresher.refresh()).toEqual({ status: "signed-out" });
    expect(storage.map.size).toBe(0);
    expect(t.posted).toEqual([{ type: "signed-out" }]);
    expect(t.events).toEqual(["signed-out"]);
  });

  it.each<[string, Answer]>([
    ["a 503 (database down)", { status: 503, body: { code: "service_unavailable", message: "Down." } }],
    ["a 500", { status: 500 }],
    ["a network error", "network-error"],
  ])("reports unavailable on %s and neither signs out nor clears anything", async (_label, answer) => {
    const net = fakeNetwork([answer]);
    const storage = fakeStorage();
    storage.setItem(REFRESHED_AT_KEY, "1");
    storage.setItem(ACCESS_EXPIRES_AT_KEY, "2");
    const t = tab({ fetch: net.fetch, now: () => 100_000, storage, locks: fakeLocks() });
    expect(await t.refresher.refresh()).toEqual({ status: "unavailable" });
    expect(storage.map.get(REFRESHED_AT_KEY)).toBe("1");
    expect(t.posted).toEqual([]);
    expect(t.events).toEqual([]);
  });

  it("gives up on a request that never answers, releasing the lock for other tabs", async () => {
    const net = fakeNetwork(["hang"]);
    const locks = fakeLocks();
    const a = tab({ fetch: net.fetch, now: () => 0, locks, timeoutMs: 50 });
    const b = tab({ fetch: net.fetch, now: () => 0, locks, timeoutMs: 50 });
    const [ra, rb] = await Promise.all([a.refresher.refresh(), b.refresher.refresh()]);
    expect(ra).toEqual({ status: "unavailable" });
    expect(rb).toMatchObject({ status: "refreshed", reused: false });
    expect(net.calls).toHaveLength(2);
  });

  it("still refreshes when the lock manager refuses", async () => {
    const net = fakeNetwork([]);
    const locks: LockLike = { request: () => Promise.reject(new DOMException("denied", "SecurityError")) };
    const { refresher } = tab({ fetch: net.fetch, now: () => 0, locks });
    expect(await refresher.refresh()).toMatchObject({ status: "refreshed" });
    expect(net.calls).toHaveLength(1);
  });

  it("works when storage throws (privacy mode) and without locks", async () => {
    const net = fakeNetwork([]);
    const broken: StorageLike = {
      getItem: () => {
        throw new DOMException("denied", "SecurityError");
      },
      setItem: () => {
        throw new DOMException("full", "QuotaExceededError");
      },
      removeItem: () => undefined,
    };
    const { refresher } = tab({ fetch: net.fetch, now: () => 0, storage: broken, locks: null });
    expect(await refresher.refresh()).toMatchObject({ status: "refreshed", accessExpiresAt: 300_000 });
  });

  it("falls back to a short lifetime when a 200 has no readable expires_in", async () => {
    const net = fakeNetwork([{ status: 200, body: "not an object" }]);
    const { refresher } = tab({ fetch: net.fetch, now: () => 0 });
    expect(await refresher.refresh()).toMatchObject({ status: "refreshed", accessExpiresAt: 60_000 });
  });
});
