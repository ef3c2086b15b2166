import { readJson } from "@/lib/http/body";
import { noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { resetPassword } from "@/lib/use-cases/auth/reset-password";
import { resetPasswordBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const body = await readJson(req, resetPasswordBodySchema(deps.config.PASSWORD_MIN_LENGTH));
  await resetPassword(deps, { ...body, meta });
  return noContent();
});
