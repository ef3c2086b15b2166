// What every use case receives as its first argument (docs/decisions/0010-use-case-shape.md):
// `(deps, input) => result`. Route handlers and pages get the process-wide set from `deps()`;
// tests build their own over a throwaway database (test/support/deps.ts).
import { type AuditLog, createAuditLog } from "@/lib/auth/audit";
import { createHasher, type Hasher } from "@/lib/auth/password";
import type { SessionCache } from "@/lib/auth/session-cache";
import { sessionCacheFor } from "@/lib/auth/session-feeds";
import { type Throttle, throttleFor } from "@/lib/auth/throttle";
import { type Config, config } from "@/lib/config";
import { type Db, getDb } from "@/lib/db/client";
import { type Mailer, mailerFor } from "@/lib/mail/mailer";
import { createTasks, type Tasks } from "@/lib/tasks";

export type Clock = { now(): Date };

export type Deps = {
  config: Config;
  db: Db;
  clock: Clock;
  throttle: Throttle;
  hasher: Hasher;
  audit: AuditLog;
  mailer: Mailer;
  /** Work that runs after the answer (mail, look-ups that must not show in the timing). */
  tasks: Tasks;
  /** What the per-request session read found, kept briefly (docs/decisions/0021-auth-caches.md). */
  sessionCache: SessionCache;
};

export const systemClock: Clock = { now: () => new Date() };

/** A full set over `db`; `overrides` replace single parts (a fixed clock, a test throttle). */
export function createDeps(cfg: Config, db: Db, overrides: Partial<Omit<Deps, "config" | "db">> = {}): Deps {
  const clock = overrides.clock ?? systemClock;
  const tasks = overrides.tasks ?? createTasks();
  return {
    config: cfg,
    db,
    clock,
    throttle: overrides.throttle ?? throttleFor(cfg, db),
    hasher: overrides.hasher ?? createHasher(cfg.BCRYPT_COST),
    audit: overrides.audit ?? createAuditLog(db, clock),
    tasks,
    mailer: overrides.mailer ?? mailerFor(cfg, tasks, { clock: () => clock.now() }),
    sessionCache: overrides.sessionCache ?? sessionCacheFor(cfg),
  };
}

// On globalThis so Next's dev reloads reuse one database pool and one Redis connection.
const HOLDER = Symbol.for("latchkey.deps");
type Holder = { [HOLDER]?: Deps };

/** The process's dependencies, built from `config()` on first use and again if it is reloaded. */
export function deps(): Deps {
  const holder = globalThis as Holder;
  const cfg = config();
  const current = holder[HOLDER];
  if (current?.config === cfg) return current;
  if (current) {
    void current.throttle.close().catch(() => undefined);
    void current.sessionCache.close().catch(() => undefined);
  }
  const built = createDeps(cfg, getDb());
  holder[HOLDER] = built;
  return built;
}
