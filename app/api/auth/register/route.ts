import { audit } from "@/lib/auth/audit";
import { createAccount } from "@/lib/auth/register";
import { getDb } from "@/lib/db/client";
import { getThrottle } from "@/lib/auth/throttle";
import { AppError } from "@/lib/errors";
import { readJson } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { registerBodySchema } from "@/lib/validation/bodies";
import { env } from "@/lib/env";

export const POST = route(async ({ req, address, userAgent }) => {
  const verdict = await getThrottle().checkRegistration({ address });
  if (!verdict.allowed) {
    await audit(getDb(), { type: "registration_throttled", address, userAgent, detail: { rule: verdict.rule } });
    throw new AppError("too_many_attempts", {
      message: "Too many sign-ups from this network. Try again later.",
      headers: { "retry-after": String(Math.max(1, Math.ceil(verdict.retryAfterSeconds))) },
    });
  }
  const body = await readJson(req, registerBodySchema(env().PASSWORD_MIN_LENGTH));
  const user = await createAccount({ username: body.username, email: body.email ?? null, password: body.password }, { address, userAgent });
  return json({ message: "Account created. You can sign in now.", user: { id: user.id, username: user.username, role: user.role } }, 201);
});
