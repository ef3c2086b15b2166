// Playwright end-to-end suite in Chromium. The global setup starts the production server
// (server.ts over the build in NEXT_DIST_DIR, or .next) on a throwaway SQLite file; tests read
// its address from E2E_BASE_URL through the fixtures in e2e/support/fixtures.ts.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// Which Chromium: `npm test` finds it once (scripts/test-services.mjs: CHROMIUM_PATH, else
// /usr/bin/chromium (as its headless shell where Debian's chromium-headless-shell is there too)
// or Playwright's own, else the npm package @sparticuz/chromium) and passes
// CHROMIUM_PATH and CHROMIUM_ARGS. Run on its own, Playwright asks the same script; the workers
// inherit the answer through the environment.
if (!process.env.CHROMIUM_PATH || process.env.CHROMIUM_ARGS === undefined) {
  const script = path.join(__dirname, "scripts/test-services.mjs");
  const found = JSON.parse(execFileSync(process.execPath, [script, "chromium"], { encoding: "utf8" })) as { env: Record<string, string> };
  Object.assign(process.env, found.env);
}
const npmArgs = JSON.parse(process.env.CHROMIUM_ARGS ?? "[]") as string[];

const chromium = {
  executablePath: process.env.CHROMIUM_PATH,
  args: [
    ...npmArgs,
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

// Screenshots of every main page, for a person to look at: only when asked for, never in `npm test`.
const shotsDir = process.env.E2E_SHOTS_DIR;

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  // Generous: on a 2-core machine the browser shares the cores with the integration stage's servers,
  // and a sign-up that takes 2 s alone has taken more than 7 s there. A passing test never waits
  // for these; only a failing one does.
  timeout: 45_000,
  expect: { timeout: 15_000 },
  reporter: "list",
  // Not test-results/ itself: `npm test` keeps its reports there, and Playwright empties outputDir.
  outputDir: "test-results/e2e-artifacts",
  globalSetup: "./e2e/support/global-setup.ts",
  use: {
    browserName: "chromium",
    launchOptions: chromium,
    viewport: { width: 1280, height: 800 },
    screenshot: "only-on-failure",
    // Off: recording a trace of every test (to keep the failures') cost a sixth of the suite's CPU,
    // and CI shows only the output. To look into a failure: npx playwright test <spec> --trace on
    trace: "off",
  },
  projects: [
    { name: "chromium", testIgnore: "**/screenshots.spec.ts" },
    ...(shotsDir ? [{ name: "screenshots", testMatch: "**/screenshots.spec.ts" }] : []),
  ],
});
