import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, sourceFiles } from "@/test/support/source-files";
import { ConfigError, loadConfig } from "./config";
import { generateEncryptionKeys } from "./crypto/encryption";
import { readEdgeConfig } from "./edge/config";

function problems(source: Record<string, string>): string[] {
  try {
    loadConfig(source);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

const ENCRYPTION = JSON.stringify(generateEncryptionKeys());

describe("loadConfig", () => {
  it("has the SPEC's defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      DATABASE_URL: "file:./data/app.db",
      APP_URL: "http://localhost:3000",
      ACCESS_TOKEN_TTL: 300_000,
      REFRESH_TOKEN_TTL: 30 * 86_400_000,
      REFRESH_REUSE_GRACE: 10_000,
      PASSWORD_MIN_LENGTH: 15,
      TRUST_PROXY: false,
      THROTTLE_PAIR_FAILURES: 5,
      isProduction: false,
      secureCookies: false,
    });
  });

  it("derives the origin from PORT, trims slashes, and marks https for secure cookies", () => {
    expect(loadConfig({ PORT: "8080" }).APP_URL).toBe("http://localhost:8080");
    const c = loadConfig({
      APP_URL: "https://auth.example.com//",
      NODE_ENV: "production",
      SMTP_URL: "smtp://mail.example.com:587",
      AUTH_ENCRYPTION_KEYS: ENCRYPTION,
    });
    expect(c).toMatchObject({ APP_URL: "https://auth.example.com", secureCookies: true, isProduction: true });
  });

  it("agrees with the Edge part on every value both read", () => {
    for (const source of [
      {},
      {
        APP_URL: "https://a.example/",
        ACCESS_TOKEN_TTL: "90s",
        NODE_ENV: "production",
        EMAIL_DELIVERY: "off",
        AUTH_ENCRYPTION_KEYS: ENCRYPTION,
      },
      { PORT: "4000" },
    ]) {
      const node = loadConfig(source);
      const edge = readEdgeConfig(source);
      expect(edge).toMatchObject({ appUrl: node.APP_URL, accessTokenTtlMs: node.ACCESS_TOKEN_TTL, production: node.isProduction });
    }
  });

  it("reports every bad value, one line each, naming the variable", () => {
    const lines = problems({ PORT: "http", ACCESS_TOKEN_TTL: "5 minutes", APP_URL: "ftp://x", BCRYPT_COST: "3", LOG_LEVEL: "loud" });
    expect(lines).toHaveLength(5);
    for (const name of ["PORT", "ACCESS_TOKEN_TTL", "APP_URL", "BCRYPT_COST", "LOG_LEVEL"]) {
      expect(lines.filter((l) => l.startsWith(`${name}: `))).toHaveLength(1);
    }
    expect(lines.every((l) => !l.includes("\n"))).toBe(true);
  });

  it("refuses production without a way to send mail, and required verification without mail", () => {
    const production = { NODE_ENV: "production", AUTH_ENCRYPTION_KEYS: ENCRYPTION };
    expect(problems(production)).toEqual([expect.stringMatching(/^SMTP_URL: is not set/)]);
    expect(problems({ ...production, EMAIL_DELIVERY: "off" })).toEqual([]);
    expect(problems({ ...production, SMTP_URL: "smtps://u:p@mail.example.com:465" })).toEqual([]);
    expect(problems({ SMTP_URL: "http://mail.example.com" })).toEqual([expect.stringMatching(/^SMTP_URL: /)]);
    expect(problems({ EMAIL_DELIVERY: "off", EMAIL_VERIFICATION: "required" })).toEqual([expect.stringMatching(/^EMAIL_VERIFICATION: /)]);
    // Development needs no set-up: mail goes to the outbox.
    expect(loadConfig({}).SMTP_URL).toBeUndefined();
  });

  it("refuses production without a valid data-encryption key set", () => {
    expect(problems({ NODE_ENV: "production", EMAIL_DELIVERY: "off" })).toEqual([
      expect.stringMatching(/^AUTH_ENCRYPTION_KEYS: is not set/),
    ]);
    expect(problems({ AUTH_ENCRYPTION_KEYS: '{"keys":[{"kid":"a","k":"short"}]}' })).toEqual([
      expect.stringMatching(/^AUTH_ENCRYPTION_KEYS: .*32 bytes/),
    ]);
    // Development needs none configured: the server generates a set into data/.
    expect(problems({})).toEqual([]);
  });

  it("reads flags the way people write them", () => {
    for (const on of ["1", "true", "yes", "on"]) expect(loadConfig({ TRUST_PROXY: on }).TRUST_PROXY).toBe(true);
    for (const off of ["", "0", "false", "off", "no"]) expect(loadConfig({ TRUST_PROXY: off }).TRUST_PROXY).toBe(false);
  });
});

describe("the configuration module", () => {
  // Build and test tooling that hands the environment on to child processes; not part of the app.
  const EXEMPT = new Set(["scripts/prisma-generate.ts", "scripts/test-all.mjs", "scripts/test-services.mjs", "scripts/screenshots.ts"]);
  const READERS = new Set(["lib/config.ts", "lib/edge/config.ts"]);

  it("is the only reader of process.env in the app, its scripts and its server", () => {
    const files = [
      ...["app", "components", "lib", "scripts"].flatMap((d) => sourceFiles(d)),
      path.join(ROOT, "middleware.ts"),
      path.join(ROOT, "server.ts"),
    ];
    const offenders = files
      .map((f) => path.relative(ROOT, f))
      .filter((f) => !READERS.has(f) && !EXEMPT.has(f))
      .filter((f) => /process\.env\b/.test(readFileSync(path.join(ROOT, f), "utf8").replace(/^\s*(\/\/|\*).*$/gm, "")));
    expect(offenders).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
  });
});
