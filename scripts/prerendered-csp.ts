// After `next build`: hashes the inline scripts of every prerendered public page
// (<distDir>/server/app/prerendered/**/*.html) and writes <distDir>/prerendered-csp.json, which
// server.ts reads to give each copy a CSP allowing exactly those scripts. Run it after every
// build: `tsx scripts/prerendered-csp.ts` (docs/decisions/0020-prerendered-pages.md).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { nextDistDir } from "@/lib/config";
import { buildPrerenderedCspManifest, MANIFEST_FILE } from "@/lib/http/prerendered";

const distDir = nextDistDir(process.cwd());
const manifest = buildPrerenderedCspManifest(distDir);
const pages = Object.keys(manifest).length;
if (pages === 0) {
  process.stderr.write(`prerendered-csp: no prerendered pages under ${distDir}; run next build first\n`);
  process.exit(1);
}
writeFileSync(path.join(distDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
process.stdout.write(`prerendered-csp: ${pages} pages hashed into ${path.join(distDir, MANIFEST_FILE)}\n`);
