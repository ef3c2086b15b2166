// Generates both Prisma clients (lib/generated/sqlite, lib/generated/postgresql); the postinstall.
// `prisma generate` needs no schema engine, but Prisma 7's CLI tries to download one unless
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file, and this machine has no network beyond npm
// (see STACK-NOTES "Prisma offline"). Any existing file will do, so we point it at node itself.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { PROVIDERS, schemaPath, syncSchemas } from "./prisma-schemas";

const root = path.resolve(__dirname, "..");

// Generate from the committed schemas as they are: rewriting them here would hide drift from the
// drift test. Say so loudly instead, without failing the install.
for (const file of syncSchemas("check", root)) {
  console.warn(`warning: ${file} is out of date with prisma/models.prisma: run npm run prisma:schemas`);
}

const prismaCli = require.resolve("prisma/build/index.js", { paths: [root] });
const childEnv = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};

for (const provider of PROVIDERS) {
  const result = spawnSync(process.execPath, [prismaCli, "generate", "--schema", schemaPath(provider, root)], {
    cwd: root,
    env: childEnv,
    stdio: "inherit",
  });
  if (result.status !== 0) {
    console.error(`prisma generate failed for ${provider} (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}
