import path from "node:path";

export type DbProvider = "sqlite" | "postgresql";

export type SqliteTarget = { provider: "sqlite" /** absolute path, resolved from process.cwd() */; file: string };
export type PostgresTarget = {
  provider: "postgresql";
  /** The URL without Prisma's own `schema` parameter, which pg does not understand. */
  connectionString: string;
  /** Prisma's `?schema=` (default: the server's search_path, normally `public`). */
  schema: string | undefined;
};
export type DbTarget = SqliteTarget | PostgresTarget;

export function providerOf(url: string): DbProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgresql://") || url.startsWith("postgres://")) return "postgresql";
  // Never echo the URL: it may carry a password.
  throw new Error(`unsupported DATABASE_URL scheme "${url.split(":")[0]}:" (use file: or postgresql://)`);
}

/**
 * SQLite paths are relative to the process's working directory (the repository root for every
 * npm script), not to the schema file as Prisma's own CLI would have it: the app and the
 * migration applier must open the same file whichever of them runs first.
 */
export function parseDbUrl(url: string): DbTarget {
  if (providerOf(url) === "sqlite") {
    const raw = url.slice("file:".length).split("?")[0] ?? "";
    if (raw === "" || raw === ":memory:") throw new Error("DATABASE_URL must name a SQLite file, not memory");
    return { provider: "sqlite", file: path.resolve(process.cwd(), raw) };
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") || undefined;
  if (!parsed.searchParams.has("schema")) return { provider: "postgresql", connectionString: url, schema };
  parsed.searchParams.delete("schema");
  return { provider: "postgresql", connectionString: parsed.toString(), schema };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
