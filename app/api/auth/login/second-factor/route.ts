import { deviceCookie } from "@/lib/edge/cookies";
import { tokenResponse } from "@/lib/http/auth-response";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/route";
import { loginSecondFactor } from "@/lib/use-cases/auth/login-second-factor";
import { SecondFactorBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, deps, meta }) => {
  const body = await readJson(req, SecondFactorBodySchema);
  const delivery = body.token_delivery === "body" ? "body" : "cookie";
  const answer = body.code !== undefined ? { code: body.code } : { recoveryCode: body.recovery_code ?? "" };
  const device = req.cookies.get(deviceCookie().name)?.value;
  const result = await loginSecondFactor(deps, { challenge: body.challenge, answer, device, meta });
  const res = tokenResponse(result, { delivery, device: delivery === "cookie" ? result.device : undefined });
  if (result.recoveryCodesLeft !== undefined) res.headers.set("x-recovery-codes-left", String(result.recoveryCodesLeft));
  return res;
});
