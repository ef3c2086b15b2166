import { requirePrincipal } from "@/lib/auth/authenticate";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { sendVerification } from "@/lib/use-cases/account/send-verification";

export const POST = route(async ({ req, deps, meta }) => {
  const me = await requirePrincipal(deps, req);
  await sendVerification(deps, { userId: me.user.id, meta });
  return json({ message: "A new confirmation link is on its way." }, 202);
});
