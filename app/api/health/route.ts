import { getDb } from "@/lib/db/client";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  try {
    await getDb().$queryRawUnsafe("SELECT 1");
    return json({ status: "ok" });
  } catch {
    return json({ status: "unavailable", code: "service_unavailable", message: "The database is unreachable." }, 503, { "retry-after": "5" });
  }
});
