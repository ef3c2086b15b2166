// `GET /api/health`: whether the database answers. Concurrent checks share one query, and a
// successful answer is kept for HEALTH_HOLD_MS from when its query started, so a load balancer
// (or a flood of probes) costs the database at most one `SELECT 1` per 100 ms per instance. A
// failure is never kept: every check during an outage asks again, so recovery shows at once,
// and an outage shows at most 100 ms late.
import type { Deps } from "@/lib/deps";

export const HEALTH_HOLD_MS = 100;

type State = { inFlight: Promise<boolean> | null; okSince: number | null };
const states = new WeakMap<Deps["db"], State>();

function stateFor(db: Deps["db"]): State {
  const state: State = { inFlight: null, okSince: null };
  states.set(db, state);
  return state;
}

export function checkHealth(deps: Pick<Deps, "db" | "clock">): Promise<boolean> {
  const state = states.get(deps.db) ?? stateFor(deps.db);
  const now = deps.clock.now().getTime();
  const { okSince } = state;
  if (okSince !== null && now >= okSince && now - okSince < HEALTH_HOLD_MS) return Promise.resolve(true);
  if (state.inFlight) return state.inFlight;
  const check = deps.db.$queryRawUnsafe("SELECT 1").then(
    () => true,
    () => false,
  );
  state.inFlight = check;
  void check.then((ok) => {
    state.inFlight = null;
    state.okSince = ok ? now : null;
  });
  return check;
}
