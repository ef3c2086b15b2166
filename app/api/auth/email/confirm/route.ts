import { userDto } from "@/lib/auth/issue";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { confirmEmailChange } from "@/lib/use-cases/auth/confirm-email-change";
import { LinkTokenBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const { token } = await readJson(req, LinkTokenBodySchema);
  return json({ user: userDto(await confirmEmailChange(deps, { token, meta })) });
});
