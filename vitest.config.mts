import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, ".") } },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "prisma/**/*.test.ts", "components/**/*.test.ts"],
    environment: "node",
    setupFiles: ["./test/setup-unit.ts"],
    testTimeout: 30_000,
    // One process runs the files one after another, importing the app's modules once instead of
    // once per file: a third of the CPU (the files' own state is theirs: test databases, deps and
    // clocks are made per file, and test/setup-unit.ts puts back what a file stubbed).
    isolate: false,
  },
});
