import { deviceCookie } from "@/lib/auth/cookies";
import { login } from "@/lib/auth/login";
import { tokenResponse } from "@/lib/http/auth-response";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/route";
import { LoginBodySchema } from "@/lib/validation/bodies";

export const POST = route(async ({ req, address, userAgent }) => {
  const body = await readJson(req, LoginBodySchema);
  const delivery = body.token_delivery === "body" ? "body" : "cookie";
  const result = await login({
    identifier: body.username,
    password: body.password,
    address,
    userAgent,
    device: req.cookies.get(deviceCookie().name)?.value,
  });
  return tokenResponse(result, { delivery, device: delivery === "cookie" ? result.device : undefined });
});
