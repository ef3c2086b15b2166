import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { requestPasswordReset } from "@/lib/use-cases/auth/request-password-reset";
import { ForgotPasswordBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const { identifier } = await readJson(req, ForgotPasswordBodySchema);
  await requestPasswordReset(deps, { identifier, meta });
  return json({ message: "If that account exists and has an email address, a link to reset its password is on its way." }, 202);
});
