import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { createTestDeps, type TestDeps } from "@/test/support/deps";
import { checkHealth } from "./health";

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

  it("shares one query among concurrent checks, and keeps no answer once it is given", async () => {
    let queries = 0;
    const counting = {
      ...deps,
      db: new Proxy(deps.db, {
        get: (target, key) =>
          key === "$queryRawUnsafe"
            ? (sql: string) => {
                queries++;
                return target.$queryRawUnsafe(sql);
              }
            : Reflect.get(target, key),
      }),
    };
    expect(await Promise.all([checkHealth(counting), checkHealth(counting), checkHealth(counting)])).toEqual([true, true, true]);
    expect(queries).toBe(1);
    expect(await checkHealth(counting)).toBe(true);
    expect(queries).toBe(2);
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
