// `npm test`: lint and format check, unit tests, a production build, integration tests over HTTP
// against real servers (SQLite and PostgreSQL), then Playwright in Chromium. Ends with one
// "N passed, N failed" line.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, "test-results");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const bin = (name) => path.join(root, "node_modules/.bin", name);
const only = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedStage = null;

function run(stage, cmd, args, extraEnv = {}) {
  if (only.length && !only.includes(stage)) return true;
  process.stdout.write(`\n=== ${stage}: ${path.basename(cmd)} ${args.join(" ")}\n`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
  if (res.status !== 0) failedStage ??= stage;
  return res.status === 0;
}

function countVitest(file) {
  try {
    const r = JSON.parse(readFileSync(file, "utf8"));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  } catch {
    /* the stage failed before writing a report; its exit code already counts */
  }
}

function countPlaywright(file) {
  try {
    const s = JSON.parse(readFileSync(file, "utf8")).stats;
    totals.passed += s.expected + s.flaky;
    totals.failed += s.unexpected;
    totals.skipped += s.skipped;
  } catch {
    /* as above */
  }
}

run("lint", bin("biome"), ["check", "--error-on-warnings", "."]);

const unitReport = path.join(out, "unit.json");
run("unit", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${unitReport}`]);
countVitest(unitReport);

// package.json "build": next build, the prerendered pages' CSP hashes, the compiled server.
const built =
  run("build", bin("next"), ["build"]) &&
  run("build", bin("tsx"), ["scripts/prerendered-csp.ts"]) &&
  run("build", process.execPath, ["scripts/build-server.mjs"]);
if (built) {
  const itReport = path.join(out, "integration.json");
  run("integration", bin("vitest"), [
    "run",
    "-c",
    "vitest.integration.mts",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${itReport}`,
  ]);
  countVitest(itReport);
  const e2eReport = path.join(out, "e2e.json");
  run("e2e", bin("playwright"), ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport });
  countPlaywright(e2eReport);
}

if (failedStage) process.stdout.write(`\nstage failed: ${failedStage}\n`);
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failedStage || totals.failed > 0 ? 1 : 0);
