"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert, StatusMessage } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";
import { formPassword, formText, useApiForm } from "@/components/ui/use-api-form";
import { hasFieldErrors, validateFields } from "@/components/ui/validate";
import { readApiError } from "@/lib/client/api-error";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { LoginBodySchema } from "@/lib/validation/fields";
import { LINK_CLASSES } from "./emailed-link";

const FIELDS = ["username", "password"] as const;

/** `notice`: a confirmation from the page that sent the person here (a password just reset). */
export function LoginForm({ next, notice = null }: { next: string | null; notice?: string | null }) {
  const form = useApiForm(FIELDS, "password");
  const [status, setStatus] = useState(notice);
  // The password was right but the address is not confirmed yet: not a failure, something to do.
  const [unverified, setUnverified] = useState(false);

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
    if (res.ok) {
      // A full navigation, so the middleware and server components see the new cookies.
      window.location.assign(next ?? "/dashboard");
      return;
    }
    form.setBusy(false);
    const passwordInput = formElement.elements.namedItem("password");
    if (res.status === 401 && passwordInput instanceof HTMLInputElement) passwordInput.value = "";
    const error = await readApiError(res);
    setUnverified(error.code === "email_unverified");
    form.showApiError(error);
  }

  return (
    <form ref={form.formRef} method="post" onSubmit={onSubmit} noValidate className="space-y-5">
      <StatusMessage message={status} />
      <ErrorAlert message={form.message} tone={unverified ? "warning" : "error"} title={unverified ? "Check your email" : null} />
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
      <div>
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
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
    </form>
  );
}
