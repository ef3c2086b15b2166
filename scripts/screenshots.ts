// `npm run screenshots`: the README's pictures, written to docs/screenshots/. Uses the existing
// production build (NEXT_DIST_DIR, or .next) and runs `next build` first only when there is none;
// Playwright's global setup then starts that build on a throwaway SQLite database, as the e2e
// suite does, and the "screenshots" project (e2e/screenshots.spec.ts) signs in and takes them.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const distDir = process.env.NEXT_DIST_DIR ?? ".next";
const outDir = path.join(root, "docs/screenshots");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);

function run(cmd: string, args: string[], env: Record<string, string> = {}): void {
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

if (!existsSync(path.join(root, distDir, "BUILD_ID"))) {
  process.stdout.write(`No production build in ${distDir}: running next build first.\n`);
  run(bin("next"), ["build"]);
}
mkdirSync(outDir, { recursive: true });
run(bin("playwright"), ["test", "--project", "screenshots", "--workers", "1"], { E2E_SHOTS_DIR: outDir, E2E_SHOTS_SET: "readme" });
process.stdout.write(`Screenshots written to ${path.relative(root, outDir)}/\n`);
