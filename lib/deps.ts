// What every use case receives as its first argument (docs/decisions/0010-use-case-shape.md):
// `(deps, input) => result`. Route handlers and pages get the process-wide set from `deps()`;
// tests build their own over a throwaway database (test/support/deps.ts).
import { type AuditLog, createAuditLog } from "@/lib/auth/audit";
import { createHasher, type Hasher } from "@/lib/auth/password";
import { type Throttle, throttleFor } from "@/lib/auth/throttle";
import { type Config, config } from "@/lib/config";
import { type Db, getDb } from "@/lib/db/client";

export type Clock = { now(): Date };

export type Deps = {
  config: Config;
  db: Db;
  clock: Clock;
  throttle: Throttle;
  hasher: Hasher;
  audit: AuditLog;
};

export const systemClock: Clock = { now: () => new Date() };

/** A full set over `db`; `overrides` replace single parts (a fixed clock, a test throttle). */
export function createDeps(cfg: Config, db: Db, overrides: Partial<Omit<Deps, "config" | "db">> = {}): Deps {
  return {
    config: cfg,
    db,
    clock: overrides.clock ?? systemClock,
    throttle: overrides.throttle ?? throttleFor(cfg, db),
    hasher: overrides.hasher ?? createHasher(cfg.BCRYPT_COST),
    audit: overrides.audit ?? createAuditLog(db),
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
  if (current) void current.throttle.close().catch(() => undefined);
  const built = createDeps(cfg, getDb());
  holder[HOLDER] = built;
  return built;
}
