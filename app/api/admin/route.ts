import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

export const GET = route(async ({ req }) => {
  await requireAdminPrincipal(req.headers, req.cookies);
  return json({ message: "Welcome to the admin panel" });
});
