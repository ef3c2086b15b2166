// Attack class 8: secrets. Nothing a browser can download (<distDir>/static) holds private key
// material or the names of server-only settings, and a production server refuses to start with a
// missing, malformed, public-only, symmetric, development or test signing key set, saying so in
// one line that names AUTH_SIGNING_KEYS or the offending key.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { freePort, ROOT, serverCommand, TEST_ENCRYPTION_KEYS } from "../support/server";

const DIST = path.join(ROOT, process.env.NEXT_DIST_DIR ?? ".next");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Private members ("d") of every key set this machine knows of: dev keys, test fixtures, the environment. */
function knownPrivateMembers(): string[] {
  const sources = [path.join(ROOT, "data/dev-signing-keys.json")];
  const fixtures = path.join(ROOT, "test/fixtures");
  if (existsSync(fixtures))
    sources.push(
      ...readdirSync(fixtures)
        .filter((n) => n.endsWith(".json"))
        .map((n) => path.join(fixtures, n)),
    );
  const raw = sources.filter(existsSync).map((f) => readFileSync(f, "utf8"));
  if (process.env.AUTH_SIGNING_KEYS) raw.push(process.env.AUTH_SIGNING_KEYS);
  return raw.flatMap((text) => {
    try {
      return ((JSON.parse(text) as { keys?: { d?: string }[] }).keys ?? []).map((k) => k.d ?? "").filter((d) => d.length > 0);
    } catch {
      return [];
    }
  });
}

type Exit = { code: number | null; stderr: string; stdout: string; listened: boolean };

const scratch = mkdtempSync(path.join(tmpdir(), "latchkey-secrets-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Starts the compiled server in production mode with the given AUTH_SIGNING_KEYS (undefined = unset) and waits for it to exit. */
async function startProduction(keys: string | undefined, extra: Record<string, string> = {}): Promise<Exit> {
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${path.join(scratch, `${port}.db`)}`,
    LOG_LEVEL: "warn",
    EMAIL_DELIVERY: "off",
    AUTH_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
    ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
    ...(keys === undefined ? {} : { AUTH_SIGNING_KEYS: keys }),
    ...extra,
  };
  const child = spawn(serverCommand().command, serverCommand().args, {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stderr, stdout, listened: stdout.includes("ready on") };
}

describe("secrets stay on the server", () => {
  it("no private key material or server-only setting appears in any file under <distDir>/static", () => {
    const files = filesUnder(path.join(DIST, "static"));
    expect(files.length).toBeGreaterThan(0);
    const privateMembers = knownPrivateMembers();
    const patterns = [
      /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
      /"d"\s*:\s*"[A-Za-z0-9_-]{20,}"/,
      /AUTH_SIGNING_KEYS/,
      /DATABASE_URL/,
      /REDIS_URL/,
      /rotationSecret/,
      /passwordHash/,
    ];
    for (const file of files) {
      const text = readFileSync(file).toString("latin1");
      for (const pattern of patterns) expect(pattern.test(text), `${path.relative(DIST, file)} matches ${pattern}`).toBe(false);
      for (const d of privateMembers) expect(text.includes(d), `${path.relative(DIST, file)} holds a private key`).toBe(false);
    }
  });
});

describe("production refuses unsafe signing keys", () => {
  const expectRefusal = (exit: Exit, mention: RegExp) => {
    expect(exit.code, exit.stderr).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(exit.listened).toBe(false);
    const lines = exit.stderr.trim().split("\n");
    expect(lines, exit.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(mention);
    // The refusal names the problem but never echoes key material back.
    expect(exit.stderr).not.toMatch(/"d"\s*:/);
  };

  it("AUTH_SIGNING_KEYS unset or empty: one line naming AUTH_SIGNING_KEYS, non-zero exit", async () => {
    expectRefusal(await startProduction(undefined), /AUTH_SIGNING_KEYS/);
    expectRefusal(await startProduction(""), /AUTH_SIGNING_KEYS/);
  }, 60_000);

  it("malformed JSON and empty key lists", async () => {
    expectRefusal(await startProduction("{not json"), /AUTH_SIGNING_KEYS/);
    expectRefusal(await startProduction('{"keys":[]}'), /AUTH_SIGNING_KEYS/);
    expectRefusal(await startProduction("[]"), /AUTH_SIGNING_KEYS/);
  }, 90_000);

  it("development (dev-) and test (test-) keys", async () => {
    for (const kidPrefix of ["dev-", "test-"]) {
      const keys = JSON.stringify(await generateKeySet({ kidPrefix }));
      expectRefusal(await startProduction(keys), new RegExp(`AUTH_SIGNING_KEYS.*${kidPrefix}|${kidPrefix}.*AUTH_SIGNING_KEYS`));
    }
  }, 60_000);

  it("a public-only key, a symmetric (HS256) key, and a key without a kid", async () => {
    const set = await generateKeySet();
    const [key] = set.keys as Record<string, unknown>[];
    const { d: _d, ...publicOnly } = key ?? {};
    const { kid: _kid, ...noKid } = key ?? {};
    const hmac = {
      kty: "oct",
      k: Buffer.from("a shared secret that is long enough").toString("base64url"),
      alg: "HS256",
      kid: "prod-hmac",
    };
    for (const keys of [{ keys: [publicOnly] }, { keys: [hmac] }, { keys: [noKid] }]) {
      expectRefusal(await startProduction(JSON.stringify(keys)), /key|kid|AUTH_SIGNING_KEYS/i);
    }
  }, 90_000);
});

describe("production refuses bad configuration", () => {
  it("prints one line per bad value, naming each variable, and never listens", async () => {
    const keys = JSON.stringify(await generateKeySet());
    const exit = await startProduction(keys, { ACCESS_TOKEN_TTL: "soon", BCRYPT_COST: "99", APP_URL: "not a url" });
    expect(exit.code, exit.stderr).not.toBe(0);
    expect(exit.listened).toBe(false);
    const lines = exit.stderr.trim().split("\n");
    expect(lines, exit.stderr).toHaveLength(3);
    for (const name of ["ACCESS_TOKEN_TTL", "BCRYPT_COST", "APP_URL"]) {
      expect(
        lines.filter((l) => l.startsWith(`latchkey: refusing to start: ${name}: `)),
        exit.stderr,
      ).toHaveLength(1);
    }
  }, 60_000);
});
