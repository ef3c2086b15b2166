import { requireAdminPrincipal } from "@/lib/auth/authenticate";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { sendPasswordReset } from "@/lib/use-cases/admin/send-password-reset";

// 202 when the link was mailed; 200 {reset_url} for the admin to hand over when it could not be.
export const POST = route(async ({ req, params, deps, meta }) => {
  const admin = await requireAdminPrincipal(deps, req);
  const result = await sendPasswordReset(deps, { userId: params.id ?? "", actor: { actorId: admin.user.id, ...meta } });
  if (!result.mailed) return json({ reset_url: result.resetUrl });
  return json({ message: "A password reset link was mailed to the account's address. Its sessions have ended." }, 202);
});
