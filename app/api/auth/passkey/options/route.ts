import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { passkeyLoginOptions } from "@/lib/use-cases/auth/passkey-login-options";

export const POST = route(async ({ deps }) => {
  const { challengeId, options } = await passkeyLoginOptions(deps);
  return json({ challengeId, options });
});
