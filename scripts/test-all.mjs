// `npm test`: lint and format check, unit tests, a production build, integration tests over HTTP
// against real servers (SQLite and PostgreSQL), Playwright in Chromium, and a short run of a few
// integration files and e2e specs on the fallbacks (embedded PostgreSQL, npm Chromium) so they
// keep working where the machine has its own. Ends with one "N passed, N failed" line.
//
// Services are found once, here (scripts/test-services.mjs), and passed to every stage by env.
// Stages run as soon as what they need is done, side by side: lint, unit and build at once; e2e
// after the build, integration after the build and unit; the fallbacks after e2e. Each stage's
// output goes to test-results/<stage>.log and is printed whole when the stage ends.
// LATCHKEY_TEST_SERIAL=1 runs one stage at a time.
//   node scripts/test-all.mjs [stage ...]   only those stages (lint unit build integration e2e fallbacks)
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { findChromium, findPostgres, findRedis } from "./test-services.mjs";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, "test-results");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const bin = (name) => path.join(root, "node_modules/.bin", name);
// REDIS_URL names the server for the Redis tests (TEST_REDIS_URL, set below); left in the stages'
// environment it would move every other throttle under test to Redis as well.
const { REDIS_URL: _, ...baseEnv } = process.env;
const only = process.argv.slice(2);
const serial = process.env.LATCHKEY_TEST_SERIAL === "1";
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = []; // "stage: file › test: first line of the error", repeated at the very end
const failedStages = [];
const children = new Set();
const stoppers = [];
let interrupted = null; // the signal that ended the run, if one did
const t0 = Date.now();
const secs = (since) => `${Math.round((Date.now() - since) / 1000)} s`;
const say = (line) => process.stdout.write(`${line}\n`);

// One PostgreSQL-heavy integration file and two browser specs (one of them drives the virtual
// authenticator through CDP), for the fallbacks stage: enough to keep both paths from rotting.
const FALLBACK_INTEGRATION = ["test/integration/sessions-rotation.test.ts"];
const FALLBACK_E2E = ["e2e/auth.spec.ts", "e2e/passkeys.spec.ts"];

/** Runs one command in its own process group, its output into test-results/<name>.log; resolves with its exit code. */
function sh(name, cmd, args, env) {
  const log = path.join(out, `${name}.log`);
  const file = createWriteStream(log);
  file.write(`$ ${path.basename(cmd)} ${args.join(" ")}\n`);
  const child = spawn(cmd, args, { cwd: root, env: { ...baseEnv, NEXT_TELEMETRY_DISABLED: "1", ...env }, detached: true });
  children.add(child);
  child.stdout.pipe(file, { end: false });
  child.stderr.pipe(file, { end: false });
  return new Promise((resolve) => {
    child.once("error", (e) => file.write(`${e.message}\n`));
    child.once("close", (code, signal) => {
      children.delete(child);
      file.end(() => {
        say(`\n=== ${name} (output also in test-results/${name}.log)\n${readFileSync(log, "utf8").trimEnd()}`);
        resolve(code ?? (signal ? 128 : 1));
      });
    });
  });
}

const firstLine = (text) =>
  stripVTControlCharacters(text ?? "")
    .trim()
    .split("\n")[0]
    .slice(0, 300);

function countVitest(stage, file) {
  try {
    const r = JSON.parse(readFileSync(file, "utf8"));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    for (const f of r.testResults ?? []) {
      const where = path.relative(root, f.name);
      const failed = (f.assertionResults ?? []).filter((a) => a.status === "failed");
      for (const a of failed) failures.push(`${stage}: ${where} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
      if (!failed.length && f.status === "failed") failures.push(`${stage}: ${where}: ${firstLine(f.message)}`);
    }
  } catch {
    /* the stage failed before writing a report; its exit code already counts */
  }
}

function countPlaywright(stage, file) {
  try {
    const s = JSON.parse(readFileSync(file, "utf8")).stats;
    totals.passed += s.expected + s.flaky;
    totals.failed += s.unexpected;
    totals.skipped += s.skipped;
    const walk = (suite, titles) => {
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests ?? []) {
          if (t.status !== "unexpected") continue;
          const error = t.results?.at(-1)?.error?.message;
          failures.push(`${stage}: ${spec.file} › ${[...titles, spec.title].join(" › ")}: ${firstLine(error)}`);
        }
      }
      for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
    };
    for (const suite of JSON.parse(readFileSync(file, "utf8")).suites ?? []) walk(suite, []);
  } catch {
    /* as above */
  }
}

const vitestArgs = (name, extra) => [
  "run",
  ...extra,
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${path.join(out, `${name}.json`)}`,
];

async function vitest(name, extra, env) {
  const code = await sh(name, bin("vitest"), vitestArgs(name, extra), env);
  countVitest(name, path.join(out, `${name}.json`));
  return code;
}

async function playwright(name, extra, env) {
  const report = path.join(out, `${name}.json`);
  const args = ["test", "--reporter=list,json", `--output=${path.join(out, `${name}-artifacts`)}`, ...extra];
  const code = await sh(name, bin("playwright"), args, { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: report });
  countPlaywright(name, report);
  return code;
}

// --- services: found once, only those the chosen stages use
const wanted = (...stages) => stages.some((s) => !only.length || only.includes(s));
const services = { env: {}, embeddedPg: false, npmChromium: false };
async function discover() {
  const [pgFound, chromiumFound, redisFound] = await Promise.all([
    wanted("unit", "integration") ? findPostgres() : null,
    wanted("e2e") ? findChromium() : null,
    wanted("unit") ? findRedis() : null,
  ]);
  for (const found of [pgFound, chromiumFound, redisFound]) {
    if (!found) continue;
    say(found.line);
    Object.assign(services.env, found.env);
    if (found.stop) stoppers.push(found.stop);
  }
  services.embeddedPg = Boolean(pgFound?.line.startsWith("PostgreSQL: embedded"));
  services.npmChromium = Boolean(chromiumFound?.line.startsWith("Chromium: npm"));
}

async function fallbacks() {
  if (services.embeddedPg && services.npmChromium && wanted("integration") && wanted("e2e")) {
    say("\n=== fallbacks: skipped, the whole run already used embedded PostgreSQL and npm Chromium");
    return 0;
  }
  const [pgFound, chromiumFound] = await Promise.all([findPostgres("embedded"), findChromium("npm")]);
  stoppers.push(pgFound.stop);
  say(`fallbacks: ${pgFound.line}\nfallbacks: ${chromiumFound.line}`);
  const env = { ...pgFound.env, ...chromiumFound.env, TEST_PROVIDERS: "postgresql" };
  const codes = await Promise.all([
    vitest("fallbacks-integration", ["-c", "vitest.integration.mts", ...FALLBACK_INTEGRATION], env),
    playwright("fallbacks-e2e", FALLBACK_E2E, env),
  ]);
  await pgFound.stop();
  return codes.find((c) => c !== 0) ?? 0;
}

// name → { needs: stages that must have passed, after: stages that must merely have ended, run }
const stages = {
  lint: { needs: [], after: [], run: () => sh("lint", bin("biome"), ["check", "--error-on-warnings", "."]) },
  // At normal priority: a few unit tests bound how long a failure may take ("answers instead of
  // hanging"), and a niced stage starved by the others overran them.
  unit: { needs: [], after: [], run: () => vitest("unit", [], services.env) },
  // After lint: `next build` may add its dist dir to tsconfig.json, which lint reads.
  // package.json "build": next build, the prerendered pages' CSP hashes, the compiled server.
  build: {
    needs: [],
    after: ["lint"],
    run: async () =>
      (await sh("build", bin("next"), ["build"])) ||
      (await sh("build-csp", bin("tsx"), ["scripts/prerendered-csp.ts"])) ||
      sh("build-server", process.execPath, ["scripts/build-server.mjs"]),
  },
  // After unit as well: its servers are the run's heaviest CPU load, and started beside the unit
  // stage, the build's tail and Playwright at once they left two cores so oversubscribed that
  // tests bounding a wait (session lifetimes, the enumeration timing test) ran out of it.
  // Playwright, which mostly waits on its browsers, starts beside unit as soon as the build is done.
  integration: { needs: ["build"], after: ["unit"], run: () => vitest("integration", ["-c", "vitest.integration.mts"], services.env) },
  e2e: { needs: ["build"], after: [], run: () => playwright("e2e", [], services.env) },
  // After e2e (two Playwright runs at once would starve each other's browsers), beside the tail of
  // integration, which is the longest stage.
  fallbacks: { needs: ["build"], after: ["e2e"], run: fallbacks },
};
const unknown = only.filter((s) => !(s in stages));
if (unknown.length) {
  say(`unknown stage: ${unknown.join(", ")} (stages: ${Object.keys(stages).join(" ")})`);
  process.exit(2);
}

async function stopServices() {
  await Promise.all(stoppers.splice(0).map((stop) => stop().catch(() => {})));
}

// Ctrl-C or a SIGTERM ends every stage's process group and the services we started.
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
]) {
  process.on(signal, async () => {
    if (interrupted) return;
    interrupted = signal;
    say(`\n${signal}: stopping the stages and the services this run started`);
    for (const child of children) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
    const killTimer = setTimeout(() => {
      for (const child of children) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
    }, 5_000);
    await Promise.all([...children].map((c) => new Promise((r) => (c.exitCode === null ? c.once("close", r) : r()))));
    clearTimeout(killTimer);
    await stopServices();
    process.exit(code);
  });
}

async function main() {
  await discover();
  const state = {}; // name → "passed" | "failed" | "blocked"
  const running = new Map();
  const selected = Object.keys(stages).filter((s) => !only.length || only.includes(s));
  // Stages not chosen on the command line count as done (e.g. `integration` alone uses the last build).
  for (const s of Object.keys(stages)) if (!selected.includes(s)) state[s] = "passed";
  for (;;) {
    for (let changed = true; changed; ) {
      changed = false;
      for (const name of selected) {
        if (state[name] || running.has(name)) continue;
        const { needs, after, run } = stages[name];
        if (needs.some((n) => state[n] === "failed" || state[n] === "blocked")) {
          state[name] = "blocked";
          changed = true;
          say(`\n=== ${name}: not run (${needs.filter((n) => state[n] !== "passed").join(", ")} failed)`);
          continue;
        }
        if (![...needs, ...after].every((n) => state[n])) continue;
        if (serial && running.size > 0) break;
        const started = Date.now();
        say(`--- ${name}: started at ${secs(t0)}`);
        running.set(
          name,
          run()
            .catch((e) => {
              say(`\n=== ${name}: ${e instanceof Error ? e.message : e}`);
              return 1;
            })
            .then((code) => {
              state[name] = code === 0 ? "passed" : "failed";
              if (code !== 0) failedStages.push(name);
              say(`--- ${name}: ${state[name]} in ${secs(started)} (at ${secs(t0)})`);
              running.delete(name);
            }),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
}

try {
  await main();
} catch (e) {
  say(`\n${e instanceof Error ? e.message : e}`);
  failedStages.push("services");
} finally {
  await stopServices();
}
// Interrupted: the signal handler reports and exits with the signal's code.
if (interrupted) await new Promise(() => {});
if (failures.length) say(`\nfailed tests:\n${failures.map((f) => `  ${f}`).join("\n")}`);
if (failedStages.length) say(`\nstage failed: ${failedStages.join(", ")}`);
say(`\nwall time ${secs(t0)}`);
say(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStages.length || totals.failed > 0 ? 1 : 0);
