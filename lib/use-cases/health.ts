// `GET /api/health`: whether the database answers.
import type { Deps } from "@/lib/deps";

export async function checkHealth(deps: Deps): Promise<boolean> {
  try {
    await deps.db.$queryRawUnsafe("SELECT 1");
    return true;
  } catch {
    return false;
  }
}
