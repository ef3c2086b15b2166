import { requirePrincipal } from "@/lib/auth/authenticate";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

export const GET = route(async ({ req, deps }) => {
  await requirePrincipal(deps, req);
  return json({ message: "This is a protected route" });
});
