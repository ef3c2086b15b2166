import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { createTestDeps, type TestDeps } from "@/test/support/deps";
import { checkHealth, HEALTH_HOLD_MS } from "./health";

/** `db` whose raw queries call `before` first (which may throw, as a refused connection does). */
function counted(db: TestDeps["db"], before: () => void): TestDeps["db"] {
  return new Proxy(db, {
    get: (target, key) =>
      key === "$queryRawUnsafe"
        ? async (sql: string) => {
            before();
            return target.$queryRawUnsafe(sql);
          }
        : Reflect.get(target, key),
  });
}

describe("checkHealth", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("is true while the database answers", async () => {
    expect(await checkHealth(deps)).toBe(true);
  });

  it("shares one query among concurrent checks, and keeps a success for 100 ms from its query's start", async () => {
    let queries = 0;
    let now = Date.parse("2026-06-01T00:00:00Z");
    const counting = {
      ...deps,
      clock: { now: () => new Date(now) },
      db: counted(deps.db, () => {
        queries++;
      }),
    };
    expect(await Promise.all([checkHealth(counting), checkHealth(counting), checkHealth(counting)])).toEqual([true, true, true]);
    expect(queries).toBe(1);
    now += HEALTH_HOLD_MS - 1;
    expect(await checkHealth(counting)).toBe(true);
    expect(queries).toBe(1);
    now += 1;
    expect(await checkHealth(counting)).toBe(true);
    expect(queries).toBe(2);
    // A clock that went back does not stretch the hold.
    now -= 1_000;
    expect(await checkHealth(counting)).toBe(true);
    expect(queries).toBe(3);
  });

  it("keeps no failure: each check during an outage asks again, and a success after it counts at once", async () => {
    let queries = 0;
    let down = true;
    const flaky = {
      ...deps,
      db: counted(deps.db, () => {
        queries++;
        if (down) throw new Error("connection refused");
      }),
    };
    expect(await checkHealth(flaky)).toBe(false);
    expect(await checkHealth(flaky)).toBe(false);
    expect(queries).toBe(2);
    down = false;
    expect(await checkHealth(flaky)).toBe(true);
    expect(queries).toBe(3);
  });

  it("is false, without throwing, when the database is unreachable", async () => {
    // Nothing listens on port 1: the connection is refused at once.
    const dead = createDb("postgresql://postgres@127.0.0.1:1/none");
    try {
      const started = Date.now();
      expect(await checkHealth({ ...deps, db: dead })).toBe(false);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await dead.$disconnect();
    }
  });
});
