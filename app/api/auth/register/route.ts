import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { register } from "@/lib/use-cases/auth/register";
import { UnvalidatedBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const fields = () => readJson(req, UnvalidatedBodySchema);
  const user = await register(deps, { fields, meta });
  return json({ message: "Account created. You can sign in now.", user: { id: user.id, username: user.username, role: user.role } }, 201);
});
