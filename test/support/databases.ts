// Throwaway databases for the integration suites (the same helpers the unit tests use).
import { tempDatabase, TEST_PG_ADMIN_URL } from "@/test/support/test-db";
import type { DbProvider } from "@/lib/db/url";

export type Provider = DbProvider;
export const PROVIDERS: Provider[] = (process.env.TEST_PROVIDERS ?? "sqlite,postgresql").split(",").map((p) => p.trim()) as Provider[];
export const PG_ADMIN_URL = TEST_PG_ADMIN_URL;

export type TestDatabase = { provider: Provider; url: string; drop(): Promise<void> };

export async function createTestDatabase(provider: Provider): Promise<TestDatabase> {
  return { provider, ...(await tempDatabase(provider)) };
}
