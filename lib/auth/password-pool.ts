import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { threadId } from "node:worker_threads";
import bcrypt from "bcryptjs";
import { Piscina } from "piscina";
import { log } from "@/lib/log";

export type HashTask = { op: "hash"; secret: string; cost: number } | { op: "compare"; secret: string; hash: string };
export type HashResult = { value: string | boolean; threadId: number };

// Next bundles route handlers into .next/, so a path relative to this compiled file would point
// nowhere; process.cwd() is the app root under next dev/start, tsx scripts and vitest alike.
const DEFAULT_WORKER_FILE = path.join(process.cwd(), "lib/auth/hash-worker.cjs");
export const HASH_THREADS = Math.max(1, availableParallelism());

export type HashRunner = {
  run(task: HashTask): Promise<HashResult>;
  /** Where hashing runs and how much the pool has done (diagnostics, tests). */
  info(): { mode: "idle" | "worker" | "main-thread"; threads: number; completed: number };
  /** Stops the worker threads; the next task starts a new pool. */
  close(): Promise<void>;
};

// bcryptjs's async API works in small slices between event-loop turns, so even the fallback
// does not freeze the server for the whole hash.
async function runOnMainThread(task: HashTask): Promise<HashResult> {
  const value = task.op === "hash" ? await bcrypt.hash(task.secret, task.cost) : await bcrypt.compare(task.secret, task.hash);
  return { value, threadId };
}

/** A hashing pool over `workerFile`; where the file is missing, bcrypt runs on the main thread. */
export function createHashRunner(workerFile: string = DEFAULT_WORKER_FILE): HashRunner {
  // undefined: not started yet; null: worker file missing, bcrypt runs on the main thread.
  let pool: Piscina<HashTask, HashResult> | null | undefined;

  function getPool(): Piscina<HashTask, HashResult> | null {
    if (pool !== undefined) return pool;
    if (!existsSync(workerFile)) {
      log.warn({ workerFile }, "password hashing worker not found; bcrypt will run on the main thread");
      return (pool = null);
    }
    // One thread per core, each at nice 10 (hash-worker.cjs): logins use every core, and requests
    // still get the CPU first. Idle threads exit (and piscina unrefs them), so tests and CLI
    // scripts can end, and an idle server holds no hashing thread's memory.
    return (pool = new Piscina<HashTask, HashResult>({
      filename: workerFile,
      minThreads: 0,
      maxThreads: HASH_THREADS,
      idleTimeout: 30_000,
    }));
  }

  return {
    run(task) {
      const p = getPool();
      return p ? p.run(task) : runOnMainThread(task);
    },
    info() {
      if (pool === undefined) return { mode: "idle", threads: 0, completed: 0 };
      if (pool === null) return { mode: "main-thread", threads: 0, completed: 0 };
      return { mode: "worker", threads: pool.threads.length, completed: pool.completed };
    },
    async close() {
      const p = pool;
      pool = undefined;
      if (p) await p.destroy();
    },
  };
}

const shared = createHashRunner();

export const runHashTask = (task: HashTask): Promise<HashResult> => shared.run(task);
export const hashPoolInfo = () => shared.info();
/** Stops the process-wide pool's threads; the next hash starts a new pool. For scripts and shutdown. */
export const closeHashPool = (): Promise<void> => shared.close();
