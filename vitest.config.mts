import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

const INCLUDE = ["lib/**/*.test.ts", "scripts/**/*.test.ts", "prisma/**/*.test.ts", "components/**/*.test.ts", "test/support/**/*.test.ts"];

// Files that change process-wide state a later file would inherit (process.env and the config read
// from it, the app's database client) or that look at the test process's own threads (the hashing
// pool's priorities): each keeps a fresh process of its own.
const ISOLATED = [
  "lib/auth/password-pool.test.ts",
  "lib/auth/password.test.ts",
  "lib/auth/device.test.ts",
  "lib/db/client.test.ts",
  "lib/edge/tokens.test.ts",
  "lib/http/address.test.ts",
  "lib/http/http.test.ts",
];

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, ".") } },
  test: {
    environment: "node",
    setupFiles: ["./test/setup-unit.ts"],
    testTimeout: 30_000,
    projects: [
      // The rest share their process with the files before them (isolate: false): a fresh process
      // per file spent more CPU importing vitest, Prisma and the app's modules than most files
      // spend in their tests. Each file builds its own dependencies (test/support/deps.ts), and
      // test/setup-unit.ts puts back stubs, timers and mocks when it ends.
      { extends: true, test: { name: "unit", include: INCLUDE, exclude: [...configDefaults.exclude, ...ISOLATED], isolate: false } },
      { extends: true, test: { name: "unit-isolated", include: ISOLATED } },
    ],
  },
});
