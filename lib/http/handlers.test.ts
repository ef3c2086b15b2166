// The shape of route handlers and pages (docs/decisions/0010-use-case-shape.md): parse →
// authorize → one use-case call → respond. They stay short and never reach for the database.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importsOf, ROOT, sourceFiles } from "@/test/support/source-files";

const DATABASE = /^@\/lib\/(db|generated)\/|^@prisma\/|^(pg|better-sqlite3|ioredis)$/;
const MAX_HANDLER_LINES = 40;

const appFiles = sourceFiles("app").map((f) => path.relative(ROOT, f));
const handlers = appFiles.filter((f) => f.endsWith("/route.ts"));

describe("route handlers and pages", () => {
  it("finds every handler", () => {
    expect(handlers.length).toBeGreaterThanOrEqual(15);
  });

  it.each(appFiles)("%s imports no database module", (file) => {
    const imports = importsOf(path.join(ROOT, file));
    expect(imports.filter((s) => DATABASE.test(s))).toEqual([]);
    expect(readFileSync(path.join(ROOT, file), "utf8")).not.toMatch(/\bgetDb\(|\$queryRaw|\.findMany\(|\.findUnique\(/);
  });

  it.each(handlers)(`%s is at most ${MAX_HANDLER_LINES} lines`, (file) => {
    const lines = readFileSync(path.join(ROOT, file), "utf8").trimEnd().split("\n").length;
    expect(lines).toBeLessThanOrEqual(MAX_HANDLER_LINES);
  });
});
