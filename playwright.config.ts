// Playwright end-to-end suite in Chromium. The global setup starts the production server
// (server.ts over the build in NEXT_DIST_DIR, or .next) on a throwaway SQLite file; tests read
// its address from E2E_BASE_URL through the fixtures in e2e/support/fixtures.ts.
import { defineConfig } from "@playwright/test";

const chromium = {
  // Debian's Chromium by default: `playwright install` needs a download this machine cannot make.
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
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
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: "list",
  // Not test-results/ itself: `npm test` keeps its reports there, and Playwright empties outputDir.
  outputDir: "test-results/e2e-artifacts",
  globalSetup: "./e2e/support/global-setup.ts",
  use: {
    browserName: "chromium",
    launchOptions: chromium,
    viewport: { width: 1280, height: 800 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  projects: [
    { name: "chromium", testIgnore: "**/screenshots.spec.ts" },
    ...(shotsDir ? [{ name: "screenshots", testMatch: "**/screenshots.spec.ts" }] : []),
  ],
});
