// The Edge-safe part of the configuration: what the middleware and token code need (public
// origin, access-token lifetime, signing keys). It is one of the two readers of process.env, with
// lib/config.ts, which validates the same variables with zod at start-up and refuses bad values;
// this part only reads them, so the middleware's bundle stays free of zod and Node built-ins.
import { parseDuration } from "./duration";

export type EdgeConfig = {
  /** The public origin, no trailing slash: token iss/aud, the same-origin check, redirects. */
  appUrl: string;
  accessTokenTtlMs: number;
  /** AUTH_SIGNING_KEYS as given: {"keys":[JWK,...]}. */
  signingKeys: string | undefined;
  production: boolean;
  /** Cookies carry Secure and the __Host-/__Secure- prefixes only when the origin is https. */
  secureCookies: boolean;
};

export type EnvSource = Readonly<Record<string, string | undefined>>;

const EDGE_VARIABLES = ["APP_URL", "PORT", "ACCESS_TOKEN_TTL", "AUTH_SIGNING_KEYS", "NODE_ENV"] as const;

export function readEdgeConfig(source: EnvSource): EdgeConfig {
  const port = source.PORT || "3000";
  const appUrl = (source.APP_URL || `http://localhost:${port}`).replace(/\/+$/, "");
  return {
    appUrl,
    accessTokenTtlMs: parseDuration(source.ACCESS_TOKEN_TTL || "5m"),
    signingKeys: source.AUTH_SIGNING_KEYS || undefined,
    production: source.NODE_ENV === "production",
    secureCookies: appUrl.startsWith("https://"),
  };
}

let cached: { raw: string; config: EdgeConfig } | undefined;

/** The Edge configuration, re-parsed only when one of its variables changed (dev key set-up, tests). */
export function edgeConfig(): EdgeConfig {
  const raw = EDGE_VARIABLES.map((name) => process.env[name] ?? "").join("\u0000");
  if (cached?.raw !== raw) cached = { raw, config: readEdgeConfig(process.env) };
  return cached.config;
}
