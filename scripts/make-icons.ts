// Writes the favicon and app icons into app/, where Next serves them and links them from every
// page: `npx tsx scripts/make-icons.ts`. Run it after changing the drawing in scripts/lib/icons.ts.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { iconFiles } from "./lib/icons";

const appDir = path.resolve(import.meta.dirname, "..", "app");
for (const [name, content] of Object.entries(iconFiles())) {
  writeFileSync(path.join(appDir, name), content);
  process.stdout.write(`wrote app/${name}\n`);
}
