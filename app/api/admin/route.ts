import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

export const GET = route(async ({ req, deps }) => {
  await requireAdminPrincipal(deps, req);
  return json({ message: "Welcome to the admin panel" });
});
