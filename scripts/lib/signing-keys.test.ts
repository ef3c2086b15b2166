import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateKeySet, productionKeyProblem } from "./signing-keys";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("production key checks", () => {
  it("accepts a freshly generated key set", async () => {
    expect(await productionKeyProblem(JSON.stringify(await generateKeySet()), ROOT)).toBeNull();
  });

  it("refuses no keys, malformed keys, development and test keys", async () => {
    expect(await productionKeyProblem(undefined, ROOT)).toMatch(/AUTH_SIGNING_KEYS is not set/);
    expect(await productionKeyProblem("{", ROOT)).toMatch(/not JSON/);
    expect(await productionKeyProblem(JSON.stringify(await generateKeySet({ kidPrefix: "dev-" })), ROOT)).toMatch(
      /development or test key/,
    );
    expect(await productionKeyProblem(JSON.stringify(await generateKeySet({ kidPrefix: "test-" })), ROOT)).toMatch(
      /development or test key/,
    );
  });

  it("refuses a key committed to this repository whatever its kid", async () => {
    const committed = JSON.parse(readFileSync(path.join(ROOT, "test/fixtures/signing-keys.json"), "utf8"));
    committed.keys[0].kid = "looks-like-production";
    expect(await productionKeyProblem(JSON.stringify(committed), ROOT)).toMatch(/development or test key/);
    const fresh = await generateKeySet();
    expect(await productionKeyProblem(JSON.stringify({ keys: [...fresh.keys, ...committed.keys] }), ROOT)).toMatch(/looks-like-production/);
  });
});
