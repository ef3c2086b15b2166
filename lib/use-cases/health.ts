// `GET /api/health`: whether the database answers. Concurrent checks share one query: a request
// that arrives while a check is in flight takes that check's answer, which is never older than
// the request itself. Nothing is kept once the query has answered, so an outage shows at once.
import type { Deps } from "@/lib/deps";

const inFlight = new WeakMap<Deps["db"], Promise<boolean>>();

export function checkHealth(deps: Pick<Deps, "db">): Promise<boolean> {
  const running = inFlight.get(deps.db);
  if (running) return running;
  const check = deps.db.$queryRawUnsafe("SELECT 1").then(
    () => true,
    () => false,
  );
  inFlight.set(deps.db, check);
  void check.finally(() => inFlight.delete(deps.db));
  return check;
}
