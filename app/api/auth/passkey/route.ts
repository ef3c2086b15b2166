import { deviceCookie } from "@/lib/edge/cookies";
import { tokenResponse } from "@/lib/http/auth-response";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/route";
import { passkeyLogin } from "@/lib/use-cases/auth/passkey-login";
import { PasskeyLoginBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const body = await readJson(req, PasskeyLoginBodySchema);
  const delivery = body.token_delivery === "body" ? "body" : "cookie";
  const device = req.cookies.get(deviceCookie().name)?.value;
  const result = await passkeyLogin(deps, { challengeId: body.challengeId, response: body.response, device, meta });
  return tokenResponse(result, { delivery, device: delivery === "cookie" ? result.device : undefined });
});
