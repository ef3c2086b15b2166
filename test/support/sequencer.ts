// The order the integration files start in. Most files are bound by CPU (their servers' work),
// but a few spend most of their time waiting: on session lifetimes and reuse graces, on a
// database that was stopped, on caches that must expire. Started last (vitest's own order on a
// fresh clone is the largest file first), one of them left the stage's final half-minute to a
// single file sleeping on two idle cores; started first, their waits overlap the other files'
// work and the Playwright stage beside them.
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The files that mostly wait, longest wait first (measured in a fresh-clone `npm test`). */
export const WAITING_FILES = [
  "sessions-lifetimes.test.ts",
  "fail-closed.test.ts",
  "attack-revocation-cache.test.ts",
  "attack-throttle-login.test.ts",
  "audit-chain.test.ts",
  "fail-closed-sqlite.test.ts",
];

export default class WaitingFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const waiting = WAITING_FILES.flatMap((name) => files.filter((f) => path.basename(f.moduleId) === name));
    return [...waiting, ...(await super.sort(files.filter((f) => !waiting.includes(f))))];
  }
}
