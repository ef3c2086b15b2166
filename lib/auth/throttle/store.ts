import { Redis } from "ioredis";
import { RateLimiterPrisma, RateLimiterRedis, type RateLimiterStoreAbstract } from "rate-limiter-flexible";
import type { Db } from "@/lib/db/client";
import { DEFAULT_ACCOUNT_MAIL_WINDOW, DEFAULT_ACCOUNT_MAILS, DEFAULT_PAIR_MEMORY_SECONDS, type ThrottleLimits } from "./limits";

export type Limiters = {
  pairFailures: RateLimiterStoreAbstract;
  pairLock: RateLimiterStoreAbstract;
  accountFailures: RateLimiterStoreAbstract;
  addressFailures: RateLimiterStoreAbstract;
  addressRegistrations: RateLimiterStoreAbstract;
  /** Mails of one kind asked for one account (reset, verification, email change). */
  accountMails: RateLimiterStoreAbstract;
  /** Mail requests and single-use link submissions from one address. */
  addressRequests: RateLimiterStoreAbstract;
  /** Logins under way for one (address, account) pair; expires by itself if a process dies mid-login. */
  pairInFlight: RateLimiterStoreAbstract;
  /** Throws at once while the store is known to be down, instead of queueing the request. */
  assertReachable(): void;
  close(): Promise<void>;
};

type Spec = { points: number; duration: number };

export function createLimiters(store: { db?: Db; redisUrl?: string }, limits: ThrottleLimits, prefix: string): Limiters {
  const specs: Record<Exclude<keyof Limiters, "close" | "assertReachable">, Spec> = {
    pairFailures: { points: limits.pairFailures, duration: limits.pairMemorySeconds ?? DEFAULT_PAIR_MEMORY_SECONDS },
    // Only ever written by block(); 0 points means any stored value is a lock.
    pairLock: { points: 0, duration: limits.pairMaxSeconds },
    accountFailures: { points: limits.accountFailures, duration: limits.accountWindowSeconds },
    addressFailures: { points: limits.addressFailures, duration: limits.addressWindowSeconds },
    addressRegistrations: { points: limits.addressRegistrations, duration: limits.addressWindowSeconds },
    pairInFlight: { points: 1, duration: 60 },
    accountMails: {
      points: limits.accountMails ?? DEFAULT_ACCOUNT_MAILS,
      duration: limits.accountMailWindowSeconds ?? DEFAULT_ACCOUNT_MAIL_WINDOW,
    },
    addressRequests: { points: limits.addressRegistrations, duration: limits.addressWindowSeconds },
  };
  const names = Object.keys(specs) as (keyof typeof specs)[];

  if (store.redisUrl) {
    const redis = new Redis(store.redisUrl, {
      // Fail closed quickly: a login must not hang for ioredis' default 20 reconnects.
      maxRetriesPerRequest: 1,
      connectTimeout: 3_000,
      commandTimeout: 3_000,
    });
    // Each failed command rejects its own promise (the caller answers 503); the event only
    // repeats that on every reconnect, and unheard it would be printed by ioredis itself.
    redis.on("error", () => {});
    const build = (name: keyof typeof specs) =>
      new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:${name}`, ...specs[name] });
    return {
      ...(Object.fromEntries(names.map((n) => [n, build(n)])) as Record<keyof typeof specs, RateLimiterRedis>),
      assertReachable() {
        // ioredis queues commands while it reconnects, each waiting out a growing back-off; during an
        // outage every login would hang for commandTimeout. A first connection ("connecting") may
        // still queue, so a request arriving right after start-up is not refused.
        if (["reconnecting", "close", "end"].includes(redis.status)) {
          throw new Error(`Redis is unreachable (${redis.status})`);
        }
      },
      async close() {
        if (redis.status === "ready") await redis.quit();
        else redis.disconnect();
      },
    };
  }

  if (store.db) {
    const db = store.db;
    const build = (name: keyof typeof specs, index: number) =>
      new RateLimiterPrisma({
        storeClient: db,
        // The library reads `client[tableName]`; Prisma 7 exposes models as camelCase delegates.
        tableName: "rateLimiterFlexible",
        keyPrefix: `${prefix}:${name}`,
        // Every instance's sweep deletes all expired rows of the shared table, so one is enough.
        clearExpiredByTimeout: index === 0,
        ...specs[name],
      });
    return {
      ...(Object.fromEntries(names.map((n, i) => [n, build(n, i)])) as Record<keyof typeof specs, RateLimiterPrisma>),
      // The pg pool's connection timeout already bounds the wait; SQLite is a local file.
      assertReachable() {},
      async close() {},
    };
  }

  throw new Error("createThrottle needs a database client or a Redis URL");
}
