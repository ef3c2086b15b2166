// The configuration: every environment variable the app reads, parsed and validated once with
// zod. With lib/edge/config.ts (the part the Edge middleware reads, re-checked here) it is the
// only reader of process.env; everything else receives values from here, mostly through `deps`.
import path from "node:path";
import { z } from "zod";
import { parseEncryptionKeys } from "./crypto/encryption";
import { type EnvSource, readEdgeConfig } from "./edge/config";
import { parseDuration } from "./edge/duration";
import { DEFAULT_PASSWORD_MIN_LENGTH } from "./edge/prerendered";

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      try {
        return parseDuration(v);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: (e as Error).message });
        return z.NEVER;
      }
    });

const flag = z
  .string()
  .optional()
  .transform((v) => v !== undefined && v !== "" && !["0", "false", "off", "no"].includes(v.toLowerCase()));

const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalText = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());

export const DEFAULT_DATABASE_URL = "file:./data/app.db";

const schema = z.object({
  NODE_ENV: z.string().default("development"),
  PORT: int(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().default(DEFAULT_DATABASE_URL),
  APP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/ }).optional()),
  AUTH_SIGNING_KEYS: optionalText,
  AUTH_ENCRYPTION_KEYS: optionalText,
  ACCESS_TOKEN_TTL: duration("5m"),
  REFRESH_TOKEN_TTL: duration("30d"),
  REFRESH_IDLE_TTL: duration("7d"),
  REFRESH_REUSE_GRACE: duration("10s"),
  TRUST_PROXY: flag,
  PASSWORD_MIN_LENGTH: int(DEFAULT_PASSWORD_MIN_LENGTH),
  REDIS_URL: optionalText,
  BCRYPT_COST: z.coerce.number().int().min(4).max(31).default(12),
  // Throttling (SPEC defaults)
  THROTTLE_PAIR_FAILURES: int(5),
  THROTTLE_PAIR_BASE: duration("30s"),
  THROTTLE_PAIR_MAX: duration("15m"),
  THROTTLE_ACCOUNT_FAILURES: int(20),
  THROTTLE_ACCOUNT_WINDOW: duration("15m"),
  THROTTLE_ADDRESS_FAILURES: int(30),
  THROTTLE_ADDRESS_REGISTRATIONS: int(30),
  THROTTLE_ADDRESS_WINDOW: duration("5m"),
  THROTTLE_ACCOUNT_MAILS: int(3),
  THROTTLE_ACCOUNT_MAIL_WINDOW: duration("10m"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  // Mail (SPEC "Mail, email verification and password reset")
  SMTP_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.url({ protocol: /^smtps?$/, error: "must be smtp://… or smtps://…" }).optional(),
  ),
  MAIL_FROM: z.string().min(3).default("Latchkey <no-reply@localhost>"),
  EMAIL_DELIVERY: z.enum(["on", "off"]).default("on"),
  EMAIL_VERIFICATION: z.enum(["optional", "required"]).default("optional"),
  REAUTH_TTL: duration("5m"),
  REQUIRE_ADMIN_MFA: flag,
  // Admin console: how long audit events are kept (a duration such as 400d); unset or "forever" keeps them all
  AUDIT_RETENTION: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "" || v === "forever") return null;
      try {
        return parseDuration(v);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: (e as Error).message });
        return z.NEVER;
      }
    }),
});

export type Config = Omit<z.infer<typeof schema>, "LOG_LEVEL"> & {
  APP_URL: string;
  LOG_LEVEL: NonNullable<z.infer<typeof schema>["LOG_LEVEL"]>;
  isProduction: boolean;
  secureCookies: boolean;
};

/** Bad configuration: one line per problem, each naming the variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

/** Parses a set of variables (process.env, or a test's own) into the configuration. */
export function loadConfig(source: EnvSource): Config {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
  }
  const data = parsed.data;
  if (data.NODE_ENV === "production" && data.EMAIL_DELIVERY === "on" && !data.SMTP_URL) {
    throw new ConfigError([
      "SMTP_URL: is not set; set it to smtp://host:port (or smtps://…), or set EMAIL_DELIVERY=off to run without mail",
    ]);
  }
  if (data.NODE_ENV === "production" && !data.AUTH_ENCRYPTION_KEYS) {
    throw new ConfigError([
      "AUTH_ENCRYPTION_KEYS: is not set; generate a key set with `npm run --silent keygen -- --encryption` and set it",
    ]);
  }
  if (data.AUTH_ENCRYPTION_KEYS) {
    try {
      parseEncryptionKeys(data.AUTH_ENCRYPTION_KEYS);
    } catch (e) {
      throw new ConfigError([`AUTH_ENCRYPTION_KEYS: ${(e as Error).message}`]);
    }
  }
  if (data.EMAIL_DELIVERY === "off" && data.EMAIL_VERIFICATION === "required") {
    throw new ConfigError(["EMAIL_VERIFICATION: required needs mail; it cannot be used with EMAIL_DELIVERY=off"]);
  }
  // The Edge middleware derives its values with the same code, so the two can never disagree.
  const edge = readEdgeConfig(source);
  return {
    ...data,
    APP_URL: edge.appUrl,
    LOG_LEVEL: data.LOG_LEVEL ?? (data.NODE_ENV === "test" ? "warn" : "info"),
    isProduction: edge.production,
    secureCookies: edge.secureCookies,
  };
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. Throws a ConfigError on bad values. */
export function config(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}

/**
 * Development start-up only: the generated signing keys become AUTH_SIGNING_KEYS, where the
 * Edge middleware (which shares this process's environment) reads them too.
 */
export async function provideDevSigningKeys(make: () => Promise<string>): Promise<void> {
  if (process.env.AUTH_SIGNING_KEYS) return;
  process.env.AUTH_SIGNING_KEYS = await make();
  cached = undefined;
}

/** Development start-up only: the generated data-encryption keys become AUTH_ENCRYPTION_KEYS. */
export async function provideDevEncryptionKeys(make: () => Promise<string>): Promise<void> {
  if (process.env.AUTH_ENCRYPTION_KEYS) return;
  process.env.AUTH_ENCRYPTION_KEYS = await make();
  cached = undefined;
}

/** Tests change process.env between cases; they call this to re-read it. */
export function reloadConfig(): Config {
  cached = undefined;
  return config();
}

/** The log level, falling back to "info" so a logger can exist before the configuration is valid. */
export function logLevel(): string {
  try {
    return config().LOG_LEVEL;
  } catch {
    return "info";
  }
}

/** Where `next build` wrote its output (NEXT_DIST_DIR, as next.config.js reads it), under `root`. */
export function nextDistDir(root: string): string {
  return path.join(root, process.env.NEXT_DIST_DIR || ".next");
}
