import path from "node:path";
import { defineConfig } from "vitest/config";
import WaitingFirstSequencer from "./test/support/sequencer";

// Integration suites: each file starts a real production server (server.ts over the built app)
// on its own database, for SQLite and PostgreSQL. Needs `next build` first (npm test does it).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, ".") } },
  test: {
    include: ["test/integration/**/*.test.ts"],
    // Starts the servers that files opting in share (test/support/shared-servers.ts).
    globalSetup: ["test/support/shared-servers.ts"],
    environment: "node",
    // Generous: on a loaded two-core CI machine a test's requests run 3-5 times slower than here,
    // and a test made of many requests across several servers passed 60 s. The tests' own
    // timing claims (revocation within one second, TTLs) are asserted inside them, not by this.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: "forks",
    // One process runs several files in turn instead of a fresh one per file: importing vitest
    // and the test helpers (Prisma, jose, the app's modules) cost each file ~2.5 s of CPU, most of
    // the test processes' share of a CPU-bound stage. The files keep no state in modules beyond
    // test/support/app.ts's client addresses, which stay unique per process.
    isolate: false,
    // Three files at a time: much of a file's time is spent waiting on its servers (which take
    // free ports and own databases, so files never collide). The longest stage of `npm test`.
    maxWorkers: 3,
    fileParallelism: true,
    // The files that mostly wait start first (test/support/sequencer.ts).
    sequence: { sequencer: WaitingFirstSequencer },
  },
});
