import { getKeyRing } from "@/lib/edge/keys";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const ring = await getKeyRing();
  return Response.json({ keys: ring.publicJwks }, { headers: { "cache-control": "public, max-age=300" } });
});
