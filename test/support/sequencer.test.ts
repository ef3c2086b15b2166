import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { TestSpecification, Vitest } from "vitest/node";
import WaitingFirstSequencer, { WAITING_FILES } from "./sequencer";

const root = path.resolve(import.meta.dirname, "../..");
const project = { name: "integration", config: { sequence: { groupOrder: 0 }, isolate: false } };
const spec = (file: string) => ({ moduleId: path.join(root, "test/integration", file), project }) as unknown as TestSpecification;
// A fresh clone: no durations or sizes cached, so vitest's own order keeps the given one.
const ctx = { config: { root }, cache: { getFileTestResults: () => undefined, getFileStats: () => undefined } } as unknown as Vitest;
const names = (specs: TestSpecification[]) => specs.map((s) => path.basename(s.moduleId));

describe("the integration files' start order", () => {
  it("starts the files that mostly wait first, longest wait first, and keeps every other file after them", async () => {
    const others = ["attack-csrf.test.ts", "passkeys.test.ts", "seed-flow.test.ts"];
    const given = [others[0], ...[...WAITING_FILES].reverse(), ...others.slice(1)] as string[];
    const sorted = await new WaitingFirstSequencer(ctx).sort(given.map(spec));
    expect(names(sorted)).toEqual([...WAITING_FILES, ...others]);
  });

  it("names only files that exist, so a renamed one is not silently left to start last", () => {
    for (const file of WAITING_FILES) expect(existsSync(path.join(root, "test/integration", file)), file).toBe(true);
  });
});
