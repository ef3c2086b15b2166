// Dependencies for use-case tests: a migrated throwaway database (SQLite by default), a
// configuration built from the variables given (never from process.env), a clock the test can
// move, and a throttle with a prefix of its own. `cleanup` closes and drops everything.
import { randomUUID } from "node:crypto";
import { createThrottle } from "@/lib/auth/throttle";
import { throttleLimitsFromEnv } from "@/lib/auth/throttle/limits";
import { loadConfig } from "@/lib/config";
import { generateEncryptionKeys } from "@/lib/crypto/encryption";
import type { DbProvider } from "@/lib/db/url";
import { type Clock, createDeps, type Deps } from "@/lib/deps";
import { type SmtpSink, startSmtp } from "./smtp";
import { createTestDb } from "./test-db";

export type ManualClock = Clock & { set(at: Date | number): void; advance(ms: number): void };

/** A clock that stands still until told to move; starts at the real time. */
export function manualClock(start: Date | number = Date.now()): ManualClock {
  let at = new Date(start).getTime();
  return {
    now: () => new Date(at),
    set: (t) => void (at = new Date(t).getTime()),
    advance: (ms) => void (at += ms),
  };
}

export type TestDeps = Deps & { clock: ManualClock; cleanup(): Promise<void> };

export type MailTestDeps = TestDeps & { smtp: SmtpSink };

/** Deps whose mail goes over SMTP to a real in-process server (test/support/smtp.ts). */
export async function createMailTestDeps(opts: { env?: Record<string, string> } = {}): Promise<MailTestDeps> {
  const smtp = await startSmtp();
  const deps = await createTestDeps({ env: { SMTP_URL: smtp.url, ...opts.env } });
  return {
    ...deps,
    smtp,
    cleanup: async () => {
      await deps.tasks.idle();
      await deps.cleanup();
      await smtp.stop();
    },
  };
}

export async function createTestDeps(opts: { provider?: DbProvider; env?: Record<string, string> } = {}): Promise<TestDeps> {
  const testDb = await createTestDb(opts.provider ?? "sqlite");
  const config = loadConfig({
    NODE_ENV: "test",
    BCRYPT_COST: "4",
    APP_URL: "http://localhost:3000",
    DATABASE_URL: testDb.url,
    AUTH_ENCRYPTION_KEYS: JSON.stringify(generateEncryptionKeys("test-")),
    ...opts.env,
  });
  const clock = manualClock();
  const throttle = createThrottle({ db: testDb.db, limits: throttleLimitsFromEnv(config), prefix: `t${randomUUID().slice(0, 8)}` });
  const deps = createDeps(config, testDb.db, { clock, throttle });
  return {
    ...deps,
    clock,
    cleanup: async () => {
      await throttle.close();
      await deps.sessionCache.close();
      await testDb.cleanup();
    },
  };
}

/** An account straight in the database, with a real hash of `password`. */
export async function seedUser(
  deps: Deps,
  input: { username?: string; password?: string; email?: string | null; role?: "user" | "admin"; disabled?: boolean } = {},
): Promise<{ id: string; username: string; password: string }> {
  const username = input.username ?? `u${randomUUID().slice(0, 8)}`;
  const password = input.password ?? "correct horse battery staple 42";
  const user = await deps.db.user.create({
    data: {
      username,
      email: input.email ?? null,
      passwordHash: await deps.hasher.hash(password),
      role: input.role ?? "user",
      disabled: input.disabled ?? false,
    },
    select: { id: true },
  });
  return { id: user.id, username, password };
}

export const meta = { address: "203.0.113.7", userAgent: "vitest" };
