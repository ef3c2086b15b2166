// What every form action needs around its use case: the request's meta, the same-origin rule the
// route wrapper applies, the session cookies set as the login route sets them, and errors turned
// into form state instead of a JSON body.
import "server-only";
import { cookies, headers } from "next/headers";
import type { z } from "zod";
import type { IssuedTokens } from "@/lib/auth/issue";
import { endedCookie } from "@/lib/auth/session-ended";
import { isDbUnavailable } from "@/lib/db/errors";
import { accessCookie, clearCookie, deviceCookie, refreshCookie, setCookie } from "@/lib/edge/cookies";
import { AppError } from "@/lib/errors";
import { clientAddress, userAgent } from "@/lib/http/client-info";
import { isSameOrigin } from "@/lib/http/same-origin";
import { log } from "@/lib/log";
import { bindRequestMeta, type RequestMeta } from "@/lib/use-cases/meta";
import { fieldErrors } from "@/lib/validation/field-errors";
import type { FieldErrors } from "./form-state";

const DEVICE_MAX_AGE = 365 * 24 * 3600;

export type ActionRequest = { headers: Headers; cookies: Awaited<ReturnType<typeof cookies>>; meta: RequestMeta };

/**
 * Next already refuses a server action whose Origin is not the host; this is the route wrapper's
 * own rule (lib/http/route.ts) on top, so both paths into a use case refuse the same requests.
 */
export async function actionRequest(): Promise<ActionRequest> {
  const h = await headers();
  if (!isSameOrigin(h)) throw new AppError("cross_site_request");
  const req = { headers: h, cookies: await cookies(), meta: { address: clientAddress(h), userAgent: userAgent(h) } };
  // Authenticating an impersonation session names the admin in this meta, as for a route.
  bindRequestMeta(req, req.meta);
  return req;
}

/** The cookies lib/http/auth-response.ts sets for a browser login, with the same specs and lifetimes. */
export function setSignInCookies(jar: ActionRequest["cookies"], tokens: IssuedTokens & { device?: string }): void {
  setCookie(jar, accessCookie(), tokens.accessToken, tokens.expiresIn);
  setCookie(jar, refreshCookie(), tokens.refreshToken, (tokens.refreshExpiresAt.getTime() - Date.now()) / 1000);
  if (tokens.device) setCookie(jar, deviceCookie(), tokens.device, DEVICE_MAX_AGE);
  // A new session: the last one's ending is old news.
  clearCookie(jar, endedCookie());
}

export type Failure = { code: string; message: string; fields: FieldErrors };

/** An error as the form shows it: an AppError's own words, anything else the catalogue's. */
export function failure(e: unknown): Failure {
  if (e instanceof AppError) return { code: e.code, message: e.message, fields: e.fields ?? {} };
  if (isDbUnavailable(e)) {
    log.error({ err: e instanceof Error ? e.message : String(e) }, "dependency unavailable");
    return fromCode("service_unavailable");
  }
  log.error({ err: e }, "unhandled error in form action");
  return fromCode("internal_error");
}

function fromCode(code: "service_unavailable" | "internal_error"): Failure {
  const e = new AppError(code);
  return { code, message: e.message, fields: {} };
}

/**
 * Field errors as a plain object: the state is bound into the re-rendered form's action, and
 * React cannot serialise the prototype-less objects lib/validation builds (the form's action then
 * became a `javascript:` URL that refuses to submit).
 */
export function formErrors(error: z.ZodError): FieldErrors {
  return { ...fieldErrors(error) };
}

/** A text field as the JSON forms send it: trimmed, "" when absent. */
export function text(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** A password exactly as typed. */
export function secret(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value : "";
}

/**
 * The field errors the form can show under its fields, and every other message (a key the form
 * has no field for, or the error's own sentence) in the summary line.
 */
export function splitErrors(f: Failure, known: readonly string[]): { fields: FieldErrors; message: string | null } {
  // A plain object, for the reason formErrors gives.
  const fields: FieldErrors = {};
  const stray: string[] = [];
  for (const [name, messages] of Object.entries(f.fields)) {
    if (known.includes(name)) fields[name] = messages;
    else stray.push(...messages);
  }
  if (stray.length > 0) return { fields, message: stray.join(" ") };
  return { fields, message: Object.keys(fields).length > 0 ? null : f.message };
}
