"use server";
// Sign-in, its second step, sign-up and sign-out as server actions: the same use cases the JSON
// routes call, for forms posted without JavaScript (docs/decisions/0017-progressive-enhancement.md).
// With JavaScript the forms keep posting JSON to the API and never reach these.
import { redirect } from "next/navigation";
import { optionalPrincipal } from "@/lib/auth/authenticate";
import { safeNext } from "@/lib/client/safe-next";
import { deps } from "@/lib/deps";
import { accessCookie, clearCookie, deviceCookie, refreshCookie, returnCookie } from "@/lib/edge/cookies";
import { login } from "@/lib/use-cases/auth/login";
import { loginSecondFactor } from "@/lib/use-cases/auth/login-second-factor";
import { logout } from "@/lib/use-cases/auth/logout";
import { register } from "@/lib/use-cases/auth/register";
import { LoginBodySchema } from "@/lib/validation/bodies";
import { actionRequest, failure, formErrors, secret, setSignInCookies, splitErrors, text } from "./action-support";
import { type FormState, SIGN_IN_START, type SignInState } from "./form-state";
import { signedOutUrl } from "./signed-out";

const SIGN_UP_FIELDS = ["username", "email", "password"] as const;

function landing(next: string | null, recoveryCodesLeft?: number): string {
  // A recovery code was used: the account page says how many are left and offers new ones.
  return recoveryCodesLeft !== undefined ? `/account?recovery-codes-low=${recoveryCodesLeft}#security` : (next ?? "/dashboard");
}

export async function signInAction(_prev: SignInState, data: FormData): Promise<SignInState> {
  const next = safeNext(text(data, "next") || null);
  const challenge = text(data, "challenge");
  if (challenge) return secondStep(data, challenge, next);

  const username = text(data, "username");
  const values = { username };
  const body = { username, password: secret(data, "password") };
  const parsed = LoginBodySchema.safeParse(body);
  if (!parsed.success) return { ...SIGN_IN_START, values, fields: formErrors(parsed.error) };

  const req = await actionRequest();
  const device = req.cookies.get(deviceCookie().name)?.value;
  let to: string;
  try {
    const result = await login(deps(), { identifier: parsed.data.username, password: parsed.data.password, device, meta: req.meta });
    setSignInCookies(req.cookies, result);
    to = landing(next);
  } catch (e) {
    const f = failure(e);
    const offered = f.code === "second_factor_required" ? secondFactorChallenge(e) : null;
    if (offered) return { ...SIGN_IN_START, values, step: { challenge: offered, username, method: "code" } };
    return {
      ...SIGN_IN_START,
      values,
      ...splitErrors(f, ["username", "password"]),
      tone: f.code === "email_unverified" ? "warning" : "error",
    };
  }
  redirect(to);
}

async function secondStep(data: FormData, challenge: string, next: string | null): Promise<SignInState> {
  const username = text(data, "username");
  const method = text(data, "method") === "recovery_code" ? "recovery_code" : "code";
  const intent = text(data, "intent");
  if (intent === "restart") return { ...SIGN_IN_START, values: { username } };
  if (intent === "switch") {
    return { ...SIGN_IN_START, step: { challenge, username, method: method === "code" ? "recovery_code" : "code" } };
  }
  const step = { challenge, username, method } as const;
  const typed = text(data, method);
  const problem = method === "code" ? checkCode(typed) : checkRecoveryCode(typed);
  if (problem) return { ...SIGN_IN_START, step, fields: { [method]: [problem] } };

  const req = await actionRequest();
  const device = req.cookies.get(deviceCookie().name)?.value;
  const answer = method === "code" ? { code: typed.replace(/\s+/g, "") } : { recoveryCode: typed };
  let to: string;
  try {
    const result = await loginSecondFactor(deps(), { challenge, answer, device, meta: req.meta });
    setSignInCookies(req.cookies, result);
    to = landing(next, result.recoveryCodesLeft);
  } catch (e) {
    const f = failure(e);
    // A wrong code keeps the step; an ended challenge (expired, too many wrong) starts over.
    if (f.code === "invalid_code" && !/\bsign in again\b/i.test(f.message)) {
      const wrong =
        method === "recovery_code" ? "That recovery code is not right, or was already used." : (f.fields.code?.[0] ?? f.message);
      return { ...SIGN_IN_START, step, fields: { [method]: [wrong] } };
    }
    if (f.code === "too_many_attempts") return { ...SIGN_IN_START, step, message: f.message };
    return { ...SIGN_IN_START, values: { username }, message: f.message };
  }
  redirect(to);
}

function secondFactorChallenge(e: unknown): string | null {
  const extra = (e as { extra?: { challenge?: unknown } }).extra;
  return typeof extra?.challenge === "string" ? extra.challenge : null;
}

/** The same checks the script-driven form makes before spending one of the challenge's tries. */
function checkCode(typed: string): string | null {
  if (typed === "") return "Enter the code from your authenticator app.";
  return /^\d{6}$/.test(typed.replace(/\s+/g, "")) ? null : "Enter the 6 digits the app shows, like 123456.";
}

function checkRecoveryCode(typed: string): string | null {
  if (typed === "") return "Enter one of your recovery codes.";
  return /^[a-z0-9]{10}$/i.test(typed.replace(/[\s-]+/g, "")) ? null : "A recovery code has 10 letters and digits, like abcde-23456.";
}

export async function signUpAction(_prev: FormState, data: FormData): Promise<FormState> {
  const next = safeNext(text(data, "next") || null);
  const username = text(data, "username");
  const email = text(data, "email");
  const password = secret(data, "password");
  const values = { username, email };
  const req = await actionRequest();
  const d = deps();
  try {
    await register(d, { fields: async () => (email ? { username, password, email } : { username, password }), meta: req.meta });
  } catch (e) {
    return { values, ...splitErrors(failure(e), SIGN_UP_FIELDS) };
  }
  // As the script-driven form does: registration issues no session, so sign in with the same
  // credentials; if that is refused (throttled, email to confirm), the login page explains.
  let signedIn = false;
  try {
    const device = req.cookies.get(deviceCookie().name)?.value;
    setSignInCookies(req.cookies, await login(d, { identifier: username, password, device, meta: req.meta }));
    signedIn = true;
  } catch {
    signedIn = false;
  }
  redirect(signedIn ? (next ?? "/dashboard") : next ? `/login?next=${encodeURIComponent(next)}` : "/login");
}

export async function signOutAction(data: FormData): Promise<void> {
  const req = await actionRequest();
  const d = deps();
  const principal = await optionalPrincipal(d, req);
  const everywhere = text(data, "everywhere") === "1";
  try {
    await logout(d, {
      session: principal ? { sessionId: principal.sessionId, userId: principal.user.id } : undefined,
      // The refresh cookie is scoped to /api/auth and never reaches a page.
      refreshToken: undefined,
      everywhere,
      meta: req.meta,
    });
  } finally {
    for (const c of [accessCookie(), refreshCookie(), returnCookie()]) clearCookie(req.cookies, c);
  }
  redirect(signedOutUrl(everywhere));
}
