// The second half of `npm run build`: compiles server.ts and the scripts production runs
// (db:migrate, keygen, user, audit:verify) to plain JavaScript in dist/, so `npm start` is one
// node process with no TypeScript loader (tsx adds an esbuild service process and ~100 MB).
// Packages stay external (node_modules is there at run time); the project's own modules, the
// "@/" imports, are bundled, sharing chunks between the entry points.
import { rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
export const ENTRY_POINTS = ["server.ts", "scripts/db-migrate.ts", "scripts/keygen.ts", "scripts/user.ts", "scripts/audit-verify.ts"];

const outdir = path.join(root, "dist");
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ENTRY_POINTS,
  outdir,
  outbase: root,
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  outExtension: { ".js": ".mjs" },
  sourcemap: "linked",
  tsconfig: path.join(root, "tsconfig.json"),
  metafile: true,
  logLevel: "warning",
});
const bytes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith(".mjs"))
  .reduce((sum, [, out]) => sum + out.bytes, 0);
process.stdout.write(`build-server: ${ENTRY_POINTS.length} entry points -> dist/ (${Math.round(bytes / 1024)} KiB)\n`);
