"use client";

import Link from "next/link";
import { type FormEvent, type MouseEvent, useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert, StatusMessage } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";
import { formPassword, formText, useApiForm } from "@/components/ui/use-api-form";
import { hasFieldErrors, validateFields } from "@/components/ui/validate";
import { signInAction } from "@/lib/actions/auth-actions";
import { SIGN_IN_START } from "@/lib/actions/form-state";
import { type ApiError, readApiError } from "@/lib/client/api-error";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { formPermalink } from "@/lib/client/safe-next";
import { LoginBodySchema } from "@/lib/validation/fields";
import { LINK_CLASSES } from "./emailed-link";

const FIELDS = ["username", "password", "code", "recovery_code"] as const;

/** The server's second-step challenge lives 5 minutes and dies after 5 wrong codes (SPEC). */
const CHALLENGE_LIFETIME_MS = 5 * 60_000;
const CHALLENGE_MAX_WRONG = 5;
const CHALLENGE_EXPIRED = "That sign-in attempt expired. Enter your password again.";

type Step = { kind: "password" } | { kind: "code"; challenge: string; startedAt: number; wrong: number };
type Method = "code" | "recovery_code";

const BUTTON_LINK = `${LINK_CLASSES} rounded-sm text-sm`;

/**
 * `notice`: a confirmation from the page that sent the person here (a password just reset).
 * Without JavaScript both steps post to signInAction (the challenge travels in a hidden field);
 * with it, they post JSON to the API and never reach the action.
 */
export function LoginForm({ next, notice = null }: { next: string | null; notice?: string | null }) {
  const [state, formAction] = useActionState(signInAction, SIGN_IN_START, formPermalink("/login", next));
  const [step, setStep] = useState<Step>(() =>
    state.step ? { kind: "code", challenge: state.step.challenge, startedAt: Date.now(), wrong: 0 } : { kind: "password" },
  );
  const [method, setMethod] = useState<Method>(state.step?.method ?? "code");
  // Kept for the second step (password managers) and to refill the first if it comes back.
  const [username, setUsername] = useState(state.step?.username ?? state.values.username ?? "");
  const form = useApiForm(FIELDS, step.kind === "code" ? method : "password", state);
  const [status, setStatus] = useState(state === SIGN_IN_START ? notice : null);
  // The password was right but the address is not confirmed yet: not a failure, something to do.
  const [unverified, setUnverified] = useState(state.tone === "warning");
  // After a post without JavaScript, the field to fix (or the second step's) is where to start.
  const posted = state !== SIGN_IN_START;

  function signedIn(res: Response) {
    // A recovery code was used and few are left: the account page says so and offers new ones.
    const left = res.headers.get("x-recovery-codes-left");
    const to = left !== null && /^\d+$/.test(left) ? `/account?recovery-codes-low=${left}#security` : (next ?? "/dashboard");
    // A full navigation, so the middleware and server components see the new cookies.
    window.location.assign(to);
  }

  /** Back to the password, saying why (the challenge expired or had too many wrong codes). */
  function restart(message: string | null) {
    setStep({ kind: "password" });
    setMethod("code");
    setStatus(null);
    if (message) form.showApiError({ status: 401, code: "challenge_ended", message, fields: {}, retryAfterSeconds: null });
    else form.showFieldErrors({}); // Clears, and focuses the password field.
  }

  async function submitPassword(formElement: HTMLFormElement) {
    const data = new FormData(formElement);
    const typedUsername = formText(data, "username");
    const password = formPassword(data, "password");
    const body = { username: typedUsername, password };
    const errors = validateFields(LoginBodySchema, body);
    if (hasFieldErrors(errors)) return form.showFieldErrors(errors);

    form.clear();
    setStatus(null);
    setUnverified(false);
    form.setBusy(true);
    let res: Response;
    try {
      res = await apiFetch("/api/auth/login", jsonRequest("POST", body));
    } catch {
      form.setBusy(false);
      return form.showNetworkError();
    }
    if (res.ok) return signedIn(res);
    form.setBusy(false);
    const passwordInput = formElement.elements.namedItem("password");
    if (res.status === 401 && passwordInput instanceof HTMLInputElement) passwordInput.value = "";
    const challenge = await secondFactorChallenge(res);
    if (challenge) {
      setUsername(typedUsername);
      setMethod("code");
      setStep({ kind: "code", challenge, startedAt: Date.now(), wrong: 0 });
      form.showFieldErrors({}); // Focuses the code field once it is there.
      return;
    }
    const error = await readApiError(res);
    setUnverified(error.code === "email_unverified");
    form.showApiError(error);
  }

  async function submitCode(formElement: HTMLFormElement, current: Extract<Step, { kind: "code" }>) {
    if (Date.now() - current.startedAt >= CHALLENGE_LIFETIME_MS) return restart(CHALLENGE_EXPIRED);
    const input = formElement.elements.namedItem(method);
    const typed = formText(new FormData(formElement), method);
    const problem = method === "code" ? checkCode(typed) : checkRecoveryCode(typed);
    if (problem) return form.showFieldErrors({ [method]: [problem] });

    form.clear();
    setStatus(null);
    form.setBusy(true);
    const body =
      method === "code"
        ? { challenge: current.challenge, code: typed.replace(/\s+/g, "") }
        : { challenge: current.challenge, recovery_code: typed };
    let res: Response;
    try {
      res = await apiFetch("/api/auth/login/second-factor", jsonRequest("POST", body));
    } catch {
      form.setBusy(false);
      return form.showNetworkError();
    }
    if (res.ok) return signedIn(res);
    form.setBusy(false);
    const error = await readApiError(res);
    if (error.code !== "invalid_code") return form.showApiError(error);

    if (input instanceof HTMLInputElement) input.value = "";
    const wrong = current.wrong + 1;
    if (Date.now() - current.startedAt >= CHALLENGE_LIFETIME_MS) return restart(CHALLENGE_EXPIRED);
    if (wrong >= CHALLENGE_MAX_WRONG || /\bsign in again\b/i.test(error.message)) return restart(error.message);
    setStep({ ...current, wrong });
    form.showFieldErrors({ [method]: [wrongCodeMessage(method, error)] });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.busy) return;
    const formElement = event.currentTarget; // React clears currentTarget once the handler yields.
    if (step.kind === "code") await submitCode(formElement, step);
    else await submitPassword(formElement);
  }

  // These are submit buttons so they work without JavaScript (the action switches or restarts);
  // with it, they act here and the form is not submitted.
  function switchMethod(event: MouseEvent) {
    event.preventDefault();
    setMethod((m) => (m === "code" ? "recovery_code" : "code"));
    form.showFieldErrors({}); // Clears, and focuses the other field.
  }

  function startOver(event: MouseEvent) {
    event.preventDefault();
    restart(null);
  }

  const firstInvalid = posted ? (Object.keys(form.fieldErrors)[0] ?? null) : null;
  const autoFocusOn = (name: string) =>
    posted && (firstInvalid === name || (firstInvalid === null && name === (step.kind === "code" ? method : "password")));

  return (
    // One form for both steps, so its alert and status regions stay mounted (and announced).
    <form ref={form.formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <StatusMessage message={status} />
      <ErrorAlert message={form.message} tone={unverified ? "warning" : "error"} title={unverified ? "Check your email" : null} />
      {step.kind === "code" ? (
        <>
          <div>
            <h2 className="text-base font-semibold text-zinc-900">Two-step verification</h2>
            <p className="mt-1 text-sm break-words text-zinc-600">
              Your password was right. One more step to sign in as <span className="font-medium text-zinc-900">{username}</span>.
            </p>
          </div>
          {/* Lets password managers match the code to this account. */}
          <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
          <input type="hidden" name="challenge" value={step.challenge} />
          <input type="hidden" name="method" value={method} />
          {method === "code" ? (
            <TextField
              key="code"
              label="Authentication code"
              name="code"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              maxLength={20}
              hint="Enter the 6-digit code from your authenticator app."
              required
              autoFocus={autoFocusOn("code")}
              errors={form.fieldErrors.code}
            />
          ) : (
            <TextField
              key="recovery_code"
              label="Recovery code"
              name="recovery_code"
              type="text"
              autoComplete="off"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              maxLength={40}
              hint="One of the codes you saved when you set up two-factor authentication, like abcde-23456. Each works once."
              required
              autoFocus={autoFocusOn("recovery_code")}
              errors={form.fieldErrors.recovery_code}
            />
          )}
          <Button type="submit" busy={form.busy} className="w-full">
            {form.busy ? "Checking…" : "Verify and sign in"}
          </Button>
          <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
            <button type="submit" name="intent" value="switch" onClick={switchMethod} className={BUTTON_LINK} disabled={form.busy}>
              {method === "code" ? "Use a recovery code instead" : "Use your authenticator app instead"}
            </button>
            <button type="submit" name="intent" value="restart" onClick={startOver} className={BUTTON_LINK} disabled={form.busy}>
              Start over
            </button>
          </div>
        </>
      ) : (
        <>
          <TextField
            label="Username or email"
            name="username"
            type="text"
            autoComplete="username"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            required
            defaultValue={username}
            autoFocus={autoFocusOn("username")}
            errors={form.fieldErrors.username}
          />
          <div>
            <TextField
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              autoFocus={autoFocusOn("password")}
              errors={form.fieldErrors.password}
            />
            {/* After the field in the tab order: Tab from the password goes on to this, then Sign in. */}
            <p className="mt-2 text-right text-sm">
              <Link href="/forgot-password" className={LINK_CLASSES}>
                Forgot password?
              </Link>
            </p>
          </div>
          <Button type="submit" busy={form.busy} className="w-full">
            {form.busy ? "Signing in…" : "Sign in"}
          </Button>
        </>
      )}
    </form>
  );
}

/** The challenge of a 401 second_factor_required, or null for any other answer. */
async function secondFactorChallenge(res: Response): Promise<string | null> {
  if (res.status !== 401) return null;
  try {
    const body = (await res.clone().json()) as { code?: unknown; challenge?: unknown };
    return body.code === "second_factor_required" && typeof body.challenge === "string" ? body.challenge : null;
  } catch {
    return null;
  }
}

/** Checked before sending: a mistyped code would cost one of the challenge's five tries. */
function checkCode(typed: string): string | null {
  if (typed === "") return "Enter the code from your authenticator app.";
  return /^\d{6}$/.test(typed.replace(/\s+/g, "")) ? null : "Enter the 6 digits the app shows, like 123456.";
}

function checkRecoveryCode(typed: string): string | null {
  if (typed === "") return "Enter one of your recovery codes.";
  // The server ignores case, spaces and the hyphen; a code is ten letters and digits.
  return /^[a-z0-9]{10}$/i.test(typed.replace(/[\s-]+/g, "")) ? null : "A recovery code has 10 letters and digits, like abcde-23456.";
}

function wrongCodeMessage(method: Method, error: ApiError): string {
  if (method === "recovery_code") return "That recovery code is not right, or was already used.";
  return error.fields.code?.[0] ?? error.message;
}
