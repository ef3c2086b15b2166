import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe } from "vitest";
import { type ThrottleFixture, throttleContract } from "@/test/support/throttle-contract";
import { createThrottleCounters as createThrottle, type ThrottleCounters as Throttle } from "./throttle/counters";

// `npm test` passes the server it found (scripts/test-services.mjs), or "none": then this file is
// reported as skipped, with the reason in its name. Run on its own it asks 127.0.0.1:6379.
const found = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const URL = found === "none" ? null : found;
const NO_REDIS =
  "SKIPPED: no Redis server (REDIS_URL unset, nothing on 127.0.0.1:6379); the PostgreSQL and SQLite stores run the same contract";
const prefix = `latchkey-test-${randomUUID().slice(0, 8)}`;
const inspector = URL ? new Redis(URL) : null;
const made: Throttle[] = [];

async function keys(): Promise<string[]> {
  if (!inspector) return [];
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await inspector.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    found.push(...batch);
  } while (cursor !== "0");
  return found;
}

afterAll(async () => {
  await Promise.all(made.map((t) => t.close()));
  if (!inspector) return;
  const left = await keys();
  if (left.length > 0) await inspector.del(...left);
  await inspector.quit();
});

const fixture = (): ThrottleFixture => ({
  make: (limits) => {
    if (!URL) throw new Error(NO_REDIS);
    const t = createThrottle({ redisUrl: URL, limits, prefix: `${prefix}${made.length}` });
    made.push(t);
    return t;
  },
  storedKeys: keys,
  dead: () =>
    createThrottle({
      redisUrl: "redis://127.0.0.1:1",
      limits: {
        pairFailures: 5,
        pairBaseSeconds: 30,
        pairMaxSeconds: 900,
        accountFailures: 20,
        accountWindowSeconds: 900,
        addressFailures: 30,
        addressRegistrations: 30,
        addressWindowSeconds: 300,
      },
    }),
});

describe.skipIf(!URL)(URL ? "throttle on Redis" : `throttle on Redis: ${NO_REDIS}`, () => {
  throttleContract(fixture);
});
