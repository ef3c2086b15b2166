"use client";

import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";
import { formPassword, formText, useApiForm } from "@/components/ui/use-api-form";
import { hasFieldErrors, validateFields } from "@/components/ui/validate";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { LoginBodySchema } from "@/lib/validation/fields";

const FIELDS = ["username", "password"] as const;

export function LoginForm({ next }: { next: string | null }) {
  const form = useApiForm(FIELDS, "password");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.busy) return;
    const formElement = event.currentTarget; // React clears currentTarget once the handler yields.
    const data = new FormData(formElement);
    const username = formText(data, "username");
    const password = formPassword(data, "password");
    const body = { username, password };
    const errors = validateFields(LoginBodySchema, body);
    if (hasFieldErrors(errors)) return form.showFieldErrors(errors);

    form.clear();
    form.setBusy(true);
    let res: Response;
    try {
      res = await apiFetch("/api/auth/login", jsonRequest("POST", body));
    } catch {
      form.setBusy(false);
      return form.showNetworkError();
    }
    if (res.ok) {
      // A full navigation, so the middleware and server components see the new cookies.
      window.location.assign(next ?? "/dashboard");
      return;
    }
    form.setBusy(false);
    const passwordInput = formElement.elements.namedItem("password");
    if (res.status === 401 && passwordInput instanceof HTMLInputElement) passwordInput.value = "";
    await form.showResponseError(res);
  }

  return (
    <form ref={form.formRef} method="post" onSubmit={onSubmit} noValidate className="space-y-5">
      <ErrorAlert message={form.message} />
      <TextField
        label="Username or email"
        name="username"
        type="text"
        autoComplete="username"
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        required
        errors={form.fieldErrors.username}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        errors={form.fieldErrors.password}
      />
      <Button type="submit" busy={form.busy} className="w-full">
        {form.busy ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
