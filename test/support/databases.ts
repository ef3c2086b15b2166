// Throwaway databases for the integration suites (the same helpers the unit tests use).

import type { DbProvider } from "@/lib/db/url";
import { TEST_PG_ADMIN_URL, tempDatabase } from "@/test/support/test-db";

export type Provider = DbProvider;
export const PROVIDERS: Provider[] = (process.env.TEST_PROVIDERS ?? "sqlite,postgresql").split(",").map((p) => p.trim()) as Provider[];
export const PG_ADMIN_URL = TEST_PG_ADMIN_URL;

export type TestDatabase = { provider: Provider; url: string; drop(): Promise<void> };

export async function createTestDatabase(provider: Provider): Promise<TestDatabase> {
  return { provider, ...(await tempDatabase(provider)) };
}
