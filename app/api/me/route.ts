import { requirePrincipal } from "@/lib/auth/authenticate";
import { userDto } from "@/lib/auth/issue";
import { secondFactorsOf } from "@/lib/auth/second-factors";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

export const GET = route(async ({ req, deps }) => {
  const { user } = await requirePrincipal(deps, req);
  return json({ user: userDto(user, await secondFactorsOf(deps.db, user.id)) });
});
