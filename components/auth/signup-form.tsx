"use client";

import { type FormEvent, useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorSummary } from "@/components/ui/error-summary";
import { TextField } from "@/components/ui/text-field";
import { type FieldErrors, formPassword, formText, useApiForm } from "@/components/ui/use-api-form";
import { USERNAME_IN_PASSWORD_ADVICE, usernameInPasswordCheck, validateFields } from "@/components/ui/validate";
import { signUpAction } from "@/lib/actions/auth-actions";
import { EMPTY_FORM } from "@/lib/actions/form-state";
import { readApiError } from "@/lib/client/api-error";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { formPermalink } from "@/lib/client/safe-next";
import { PASSWORD_MENTIONS_USERNAME_MESSAGE, registerBodySchema } from "@/lib/validation/fields";
import { NewPasswordField } from "./new-password-field";

const FIELDS = ["username", "email", "password"] as const;
const IDS = { username: "signup-username", email: "signup-email", password: "signup-password" };

/**
 * Without JavaScript the form posts to signUpAction, which answers with a 303 or this page again
 * with every error and the typed values. With it, the form posts JSON to the API as before.
 */
export function SignupForm({ next, minPasswordLength }: { next: string | null; minPasswordLength: number }) {
  const [state, formAction] = useActionState(signUpAction, EMPTY_FORM, formPermalink("/signup", next));
  const form = useApiForm(FIELDS, "username", state);
  const posted = state !== EMPTY_FORM;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.busy) return;
    const data = new FormData(event.currentTarget);
    const username = formText(data, "username");
    const email = formText(data, "email");
    const password = formPassword(data, "password");
    const body = email ? { username, password, email } : { username, password };
    // The exact body the handler will parse. Sent even when it fails here: only the server knows
    // whether the username or email is taken, and it answers every problem at once.
    const local = validateFields(registerBodySchema(minPasswordLength), body, [usernameInPasswordCheck("password", password, username)]);

    form.clear();
    form.setBusy(true);
    let res: Response;
    try {
      res = await apiFetch("/api/auth/register", jsonRequest("POST", body));
    } catch {
      form.setBusy(false);
      return Object.keys(local).length > 0 ? form.showFieldErrors(local) : form.showNetworkError();
    }
    if (res.ok) {
      // Registration issues no session: sign in with the same credentials so the person lands
      // signed in; if that fails (throttled, offline), the login page explains what to do.
      const signedIn = await apiFetch("/api/auth/login", jsonRequest("POST", { username, password })).then(
        (login) => login.ok,
        () => false,
      );
      const loginPage = next ? `/login?next=${encodeURIComponent(next)}` : "/login";
      window.location.assign(signedIn ? (next ?? "/dashboard") : loginPage);
      return;
    }
    form.setBusy(false);
    const error = await readApiError(res);
    form.showApiError({ ...error, fields: mergeErrors(error.fields, local) });
  }

  return (
    <form ref={form.formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <ErrorSummary ref={form.summaryRef} errors={form.fieldErrors} fieldIds={IDS} message={form.message} autoFocus={posted} />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <TextField
        id={IDS.username}
        label="Username"
        name="username"
        type="text"
        autoComplete="username"
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        required
        defaultValue={state.values.username}
        hint="3–32 characters: lowercase letters, digits, and _ . -"
        errors={form.fieldErrors.username}
      />
      <TextField
        id={IDS.email}
        label="Email"
        labelNote="optional"
        name="email"
        type="email"
        autoComplete="email"
        spellCheck={false}
        defaultValue={state.values.email}
        hint="Lets you sign in with your email address too."
        errors={form.fieldErrors.email}
      />
      <NewPasswordField
        id={IDS.password}
        label="Password"
        name="password"
        minLength={minPasswordLength}
        errors={form.fieldErrors.password}
      />
      <Button type="submit" busy={form.busy} className="w-full">
        {form.busy ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}

/** The server's answer, with the form's own wording where it checked the same rule. */
function mergeErrors(server: FieldErrors, local: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, messages] of Object.entries(server)) out[field] = [...messages];
  if (local.password?.includes(USERNAME_IN_PASSWORD_ADVICE) && out.password) {
    out.password = [...out.password.filter((m) => m !== PASSWORD_MENTIONS_USERNAME_MESSAGE), USERNAME_IN_PASSWORD_ADVICE];
  }
  return out;
}
