import { requirePrincipal } from "@/lib/auth/authenticate";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { requestEmailChange } from "@/lib/use-cases/account/request-email-change";
import { EmailChangeBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const me = await requirePrincipal(deps, req);
  const { email } = await readJson(req, EmailChangeBodySchema);
  await requestEmailChange(deps, { userId: me.user.id, sessionId: me.sessionId, email, meta });
  return json({ message: "Check the new address: the change takes effect when you open the link we sent there." }, 202);
});
