import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { checkHealth } from "@/lib/use-cases/health";

export const dynamic = "force-dynamic";

export const GET = route(async ({ deps }) => {
  if (await checkHealth(deps)) return json({ status: "ok" });
  return json({ status: "unavailable", code: "service_unavailable", message: "The database is unreachable." }, 503, { "retry-after": "5" });
});
