import { z } from "zod";
import { parseDuration } from "./duration";

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

const schema = z.object({
  NODE_ENV: z.string().default("development"),
  PORT: int(3000),
  DATABASE_URL: z.string().default("file:./data/app.db"),
  APP_URL: z.string().url().optional(),
  AUTH_SIGNING_KEYS: z.string().optional(),
  ACCESS_TOKEN_TTL: duration("5m"),
  REFRESH_TOKEN_TTL: duration("30d"),
  REFRESH_IDLE_TTL: duration("7d"),
  REFRESH_REUSE_GRACE: duration("10s"),
  TRUST_PROXY: flag,
  PASSWORD_MIN_LENGTH: int(15),
  REDIS_URL: z.string().optional(),
  BCRYPT_COST: int(12),
  // Throttling (SPEC defaults)
  THROTTLE_PAIR_FAILURES: int(5),
  THROTTLE_PAIR_BASE: duration("30s"),
  THROTTLE_PAIR_MAX: duration("15m"),
  THROTTLE_ACCOUNT_FAILURES: int(20),
  THROTTLE_ACCOUNT_WINDOW: duration("15m"),
  THROTTLE_ADDRESS_FAILURES: int(30),
  THROTTLE_ADDRESS_REGISTRATIONS: int(30),
  THROTTLE_ADDRESS_WINDOW: duration("5m"),
  LOG_LEVEL: z.string().default("info"),
});

export type Env = z.infer<typeof schema> & { APP_URL: string; isProduction: boolean; secureCookies: boolean };

let cached: Env | undefined;

/** The parsed environment; read once per process. Throws one readable line on bad values. */
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const data = parsed.data;
  const appUrl = (data.APP_URL ?? `http://localhost:${data.PORT}`).replace(/\/+$/, "");
  cached = {
    ...data,
    APP_URL: appUrl,
    isProduction: data.NODE_ENV === "production",
    secureCookies: appUrl.startsWith("https://"),
  };
  return cached;
}

/** Tests change process.env between cases; they call this to re-read it. */
export function resetEnvForTests(): void {
  cached = undefined;
}
