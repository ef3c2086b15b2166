import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe } from "vitest";
import { type ThrottleFixture, throttleContract } from "@/test/support/throttle-contract";
import { createThrottleCounters as createThrottle, type ThrottleCounters as Throttle } from "./throttle/counters";

const URL = "redis://127.0.0.1:6379";
const prefix = `latchkey-test-${randomUUID().slice(0, 8)}`;
const inspector = new Redis(URL);
const made: Throttle[] = [];

async function keys(): Promise<string[]> {
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
  const left = await keys();
  if (left.length > 0) await inspector.del(...left);
  await inspector.quit();
});

const fixture = (): ThrottleFixture => ({
  make: (limits) => {
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

describe("throttle on Redis", () => {
  throttleContract(fixture);
});
