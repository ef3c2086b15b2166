"use client";

import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";
import { formPassword, formText, useApiForm } from "@/components/ui/use-api-form";
import { hasFieldErrors, usernameInPasswordCheck, validateFields } from "@/components/ui/validate";
import { readApiError } from "@/lib/client/api-error";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { registerBodySchema } from "@/lib/validation/fields";
import { NewPasswordField } from "./new-password-field";

const FIELDS = ["username", "email", "password"] as const;
const CONFLICT_FIELD: Record<string, string> = { username_taken: "username", email_taken: "email" };

export function SignupForm({ next, minPasswordLength }: { next: string | null; minPasswordLength: number }) {
  const form = useApiForm(FIELDS, "username");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.busy) return;
    const data = new FormData(event.currentTarget);
    const username = formText(data, "username");
    const email = formText(data, "email");
    const password = formPassword(data, "password");
    const body = email ? { username, password, email } : { username, password };
    // The exact body the handler will parse; common passwords are left to the server.
    const errors = validateFields(registerBodySchema(minPasswordLength), body, [usernameInPasswordCheck("password", password, username)]);
    if (hasFieldErrors(errors)) return form.showFieldErrors(errors);

    form.clear();
    form.setBusy(true);
    let res: Response;
    try {
      res = await apiFetch("/api/auth/register", jsonRequest("POST", body));
    } catch {
      form.setBusy(false);
      return form.showNetworkError();
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
    const conflictField = res.status === 409 ? CONFLICT_FIELD[error.code] : undefined;
    if (conflictField) return form.showFieldErrors({ [conflictField]: [error.message] });
    form.showApiError(error);
  }

  return (
    <form ref={form.formRef} method="post" onSubmit={onSubmit} noValidate className="space-y-5">
      <ErrorAlert message={form.message} />
      <TextField
        label="Username"
        name="username"
        type="text"
        autoComplete="username"
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        required
        hint="3–32 characters: lowercase letters, digits, and _ . -"
        errors={form.fieldErrors.username}
      />
      <TextField
        label="Email"
        labelNote="optional"
        name="email"
        type="email"
        autoComplete="email"
        spellCheck={false}
        hint="Lets you sign in with your email address too."
        errors={form.fieldErrors.email}
      />
      <NewPasswordField label="Password" name="password" minLength={minPasswordLength} errors={form.fieldErrors.password} />
      <Button type="submit" busy={form.busy} className="w-full">
        {form.busy ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
