// Work that must not hold up a response (mail, and the account look-ups behind answers that must
// not reveal whether an account exists). Each task runs on its own; a failure is logged, never
// thrown at a caller. `idle()` lets tests and a graceful shutdown wait until everything is done.
import { log } from "@/lib/log";

export type Tasks = {
  defer(label: string, task: () => Promise<void>): void;
  /** Resolves once every task deferred so far (and those they deferred) has ended. */
  idle(): Promise<void>;
};

export function createTasks(): Tasks {
  const pending = new Set<Promise<void>>();
  return {
    defer(label, task) {
      const run = Promise.resolve()
        .then(task)
        .catch((e: unknown) => log.error({ task: label, err: e instanceof Error ? e.message : String(e) }, "background task failed"))
        .finally(() => pending.delete(run));
      pending.add(run);
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
