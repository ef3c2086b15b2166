import { afterAll, afterEach, beforeEach, vi } from "vitest";
import { reloadConfig } from "@/lib/config";

// An unexpected console.error fails the test that caused it.
let errorSpy: ReturnType<typeof vi.spyOn> | undefined;
beforeEach(() => {
  errorSpy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error called: ${args.map(String).join(" ")}`);
  });
});
afterEach(() => {
  errorSpy?.mockRestore();
});

// Whatever a file stubbed (environment variables, globals, timers, spies) is put back when it ends.
// Most files share their process with the files before them (vitest.config.mts), so the
// configuration is read again from the restored environment.
afterAll(() => {
  vi.unstubAllEnvs();
  try {
    reloadConfig();
  } catch {
    // No valid configuration in this environment: the next reader reports it, as it would have.
  }
  vi.unstubAllGlobals();
  vi.useRealTimers();
  vi.restoreAllMocks();
});
