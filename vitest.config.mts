import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, ".") } },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "prisma/**/*.test.ts", "components/**/*.test.ts"],
    environment: "node",
    setupFiles: ["./test/setup-unit.ts"],
    testTimeout: 30_000,
    // Two files at a time even on two cores (vitest's default there is one): many files spend
    // their time waiting on PostgreSQL. Each test makes its own database, so files never share one.
    maxWorkers: 2,
  },
});
