"use client";

import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorAlert, StatusMessage } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";
import { type FieldErrors, formPassword, useApiForm } from "@/components/ui/use-api-form";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { readApiError } from "@/lib/client/api-error";

const FIELDS = ["currentPassword", "newPassword", "confirmPassword"] as const;

type Props = { username: string; minPasswordLength: number; onChanged: () => void };

export function ChangePasswordForm({ username, minPasswordLength, onChanged }: Props) {
  const form = useApiForm(FIELDS, "currentPassword");
  const [success, setSuccess] = useState<string | null>(null);

  function localErrors(current: string, next: string, confirm: string): FieldErrors {
    const errors: FieldErrors = {};
    if (!current) errors.currentPassword = ["Enter your current password."];
    if (next.length < minPasswordLength) errors.newPassword = [`Use at least ${minPasswordLength} characters.`];
    else if (next.toLowerCase().includes(username.toLowerCase())) errors.newPassword = ["Don't include your username in your password."];
    if (confirm !== next) errors.confirmPassword = ["The two new passwords don't match."];
    return errors;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.busy) return;
    const formElement = event.currentTarget;
    const data = new FormData(formElement);
    const currentPassword = formPassword(data, "currentPassword");
    const newPassword = formPassword(data, "newPassword");
    setSuccess(null);
    const errors = localErrors(currentPassword, newPassword, formPassword(data, "confirmPassword"));
    if (Object.keys(errors).length > 0) return form.showFieldErrors(errors);

    form.clear();
    form.setBusy(true);
    let res: Response;
    try {
      res = await apiFetch("/api/account/password", jsonRequest("POST", { currentPassword, newPassword }));
    } catch {
      form.setBusy(false);
      return form.showNetworkError();
    }
    form.setBusy(false);
    if (res.ok) {
      formElement.reset();
      setSuccess("Password changed. Every other session was signed out; this one stays signed in.");
      onChanged();
      return;
    }
    const error = await readApiError(res);
    if (error.code === "invalid_credentials") return form.showFieldErrors({ currentPassword: [error.message] });
    form.showApiError(error);
  }

  return (
    <Card
      title="Change password"
      description={`At least ${minPasswordLength} characters, no composition rules. Changing it signs out your other sessions.`}
    >
      <form ref={form.formRef} method="post" onSubmit={onSubmit} noValidate className="max-w-md space-y-5">
        <ErrorAlert message={form.message} />
        <StatusMessage message={success} />
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <TextField
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          errors={form.fieldErrors.currentPassword}
        />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          errors={form.fieldErrors.newPassword}
        />
        <TextField
          label="Confirm new password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          errors={form.fieldErrors.confirmPassword}
        />
        <Button type="submit" busy={form.busy}>
          {form.busy ? "Changing password…" : "Change password"}
        </Button>
      </form>
    </Card>
  );
}
