import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildSchema, PROVIDERS, readModels, schemaPath, syncSchemas } from "../scripts/prisma-schemas";

const root = path.resolve(__dirname, "..");

describe("generated Prisma schemas", () => {
  it.each(PROVIDERS)("prisma/%s/schema.prisma is exactly what prisma/models.prisma generates", (provider) => {
    const committed = readFileSync(schemaPath(provider, root), "utf8");

    // On failure: run `npm run prisma:schemas` (edit models.prisma, never the generated files).
    expect(committed).toBe(buildSchema(provider, readModels(root)));
  });

  it.each(PROVIDERS)("the %s header names its provider, client output and strict undefined checks, and no URL", (provider) => {
    const header = buildSchema(provider, "");

    expect(header).toContain(`provider = "${provider}"`);
    expect(header).toContain(`output          = "../../lib/generated/${provider}"`);
    expect(header).toContain('previewFeatures = ["strictUndefinedChecks"]');
    expect(header).not.toMatch(/\burl\s*=/);
  });
});

describe("syncSchemas", () => {
  let temp: string | undefined;
  afterEach(() => {
    if (temp) rmSync(temp, { recursive: true, force: true });
    temp = undefined;
  });

  function copyOfRepo(): string {
    temp = mkdtempSync(path.join(os.tmpdir(), "latchkey-schemas-"));
    cpSync(path.join(root, "prisma", "models.prisma"), path.join(temp, "prisma", "models.prisma"));
    for (const provider of PROVIDERS) cpSync(schemaPath(provider, root), schemaPath(provider, temp));
    return temp;
  }

  it("names a schema that was edited by hand, and rewrites it in write mode", () => {
    const dir = copyOfRepo();
    const file = schemaPath("postgresql", dir);
    writeFileSync(file, readFileSync(file, "utf8").replace("model User {", "model User {\n  nickname String?"));

    expect(syncSchemas("check", dir)).toEqual([path.join("prisma", "postgresql", "schema.prisma")]);
    expect(syncSchemas("write", dir)).toEqual([path.join("prisma", "postgresql", "schema.prisma")]);
    expect(syncSchemas("check", dir)).toEqual([]);
  });

  it("names both schemas when the models change", () => {
    const dir = copyOfRepo();
    const models = path.join(dir, "prisma", "models.prisma");
    writeFileSync(models, `${readFileSync(models, "utf8")}\nmodel Extra {\n  id String @id\n}\n`);

    expect(syncSchemas("check", dir)).toEqual(PROVIDERS.map((p) => path.join("prisma", p, "schema.prisma")));
  });
});
