import { userDto } from "@/lib/auth/issue";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { verifyEmail } from "@/lib/use-cases/auth/verify-email";
import { LinkTokenBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const { token } = await readJson(req, LinkTokenBodySchema);
  return json({ user: userDto(await verifyEmail(deps, { token, meta })) });
});
