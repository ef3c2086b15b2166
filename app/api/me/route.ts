import { impersonatorOf, requirePrincipal } from "@/lib/auth/authenticate";
import { userDto } from "@/lib/auth/issue";
import { secondFactorsOf } from "@/lib/auth/second-factors";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

export const GET = route(async ({ req, deps }) => {
  const me = await requirePrincipal(deps, req);
  const user = userDto(me.user, await secondFactorsOf(deps.db, me.user.id));
  return json({ user: { ...user, impersonator: impersonatorOf(me) } });
});
