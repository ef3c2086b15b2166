// The middleware runs on the Edge runtime: no database, no bcrypt, no Node built-ins, no zod.
// This walks its whole import graph and allows only jose, next/server and lib/edge/.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importsOf, ROOT, resolveLocal } from "@/test/support/source-files";

const ALLOWED_PACKAGES = new Set(["jose", "next/server"]);
const EDGE_DIR = path.join(ROOT, "lib/edge") + path.sep;

function walk(entry: string): { files: string[]; violations: string[] } {
  const seen = new Set<string>();
  const violations: string[] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importsOf(file)) {
      const local = resolveLocal(file, specifier);
      const where = `${path.relative(ROOT, file)} imports ${specifier}`;
      if (local === null) {
        if (!ALLOWED_PACKAGES.has(specifier)) violations.push(where);
      } else if (!local.startsWith(EDGE_DIR) || local.endsWith(".test.ts")) {
        violations.push(where);
      } else {
        queue.push(local);
      }
    }
  }
  return { files: [...seen].map((f) => path.relative(ROOT, f)).sort(), violations };
}

describe("the middleware's import graph", () => {
  it("holds only jose, next/server and lib/edge/", () => {
    const { files, violations } = walk(path.join(ROOT, "middleware.ts"));
    expect(violations).toEqual([]);
    // The walk really followed the graph: the token verifier and its key ring are in it.
    expect(files).toEqual(expect.arrayContaining(["middleware.ts", "lib/edge/tokens.ts", "lib/edge/keys.ts", "lib/edge/config.ts"]));
  });

  it("would catch a Node-only import", () => {
    const fake = path.join(ROOT, "lib/edge/__probe__.ts");
    expect(resolveLocal(fake, "@/lib/db/client")?.startsWith(EDGE_DIR)).toBe(false);
    expect(ALLOWED_PACKAGES.has("node:crypto")).toBe(false);
    expect(ALLOWED_PACKAGES.has("zod")).toBe(false);
  });
});
