import { existsSync, readdirSync, readFileSync } from "node:fs";
import { threadId } from "node:worker_threads";
import { afterEach, describe, expect, it, vi } from "vitest";
import { log } from "@/lib/log";
import { createHashRunner, hashPoolInfo, runHashTask } from "./password-pool";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("password hashing pool", () => {
  it("runs tasks in a worker thread", async () => {
    const hashed = await runHashTask({ op: "hash", secret: "secret", cost: 4 });
    expect(typeof hashed.value).toBe("string");
    expect(hashed.threadId).not.toBe(threadId);
    const compared = await runHashTask({ op: "compare", secret: "secret", hash: String(hashed.value) });
    expect(compared.value).toBe(true);
    expect(hashPoolInfo().mode).toBe("worker");
  });

  it("falls back to the main thread, warning once, when the worker file is missing", async () => {
    const warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    const runner = createHashRunner("/nonexistent/hash-worker.cjs");
    const hashed = await runner.run({ op: "hash", secret: "secret", cost: 4 });
    const compared = await runner.run({ op: "compare", secret: "secret", hash: String(hashed.value) });
    expect(hashed.threadId).toBe(threadId);
    expect(compared.value).toBe(true);
    expect(runner.info().mode).toBe("main-thread");
    await runner.close();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  // /proc/<pid>/task/<tid>/stat: the 19th field is the thread's nice value. The main thread's id
  // is the process id.
  const niceOf = (tid: string | number) => Number(readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1]?.split(" ")[16]);
  const niceOfThreads = () => readdirSync("/proc/self/task").map(niceOf);

  it.runIf(existsSync("/proc/thread-self"))("hashes at a lower priority than the event loop (nice 10)", async () => {
    const runner = createHashRunner();
    try {
      await runner.run({ op: "hash", secret: "secret", cost: 4 });
      const nices = niceOfThreads();
      expect(nices).toContain(10);
      expect(niceOf(process.pid)).toBe(0); // the main thread keeps its priority
    } finally {
      await runner.close();
    }
  });

  it("rejects an unknown task instead of guessing", async () => {
    await expect(runHashTask({ op: "nope" } as never)).rejects.toThrow(/unknown op/);
  });
});
