"use client";

import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorAlert, StatusMessage } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";
import { formPassword, useApiForm } from "@/components/ui/use-api-form";
import { hasFieldErrors, usernameInPasswordCheck, validateFields } from "@/components/ui/validate";
import { readApiError } from "@/lib/client/api-error";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { changePasswordBodySchema } from "@/lib/validation/fields";

const FIELDS = ["currentPassword", "newPassword", "confirmPassword"] as const;

type Props = { username: string; minPasswordLength: number; onChanged: () => void };

export function ChangePasswordForm({ username, minPasswordLength, onChanged }: Props) {
  const form = useApiForm(FIELDS, "currentPassword");
  const [success, setSuccess] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.busy) return;
    const formElement = event.currentTarget;
    const data = new FormData(formElement);
    const currentPassword = formPassword(data, "currentPassword");
    const newPassword = formPassword(data, "newPassword");
    setSuccess(null);
    const body = { currentPassword, newPassword };
    // The handler's schema, plus two checks it cannot make: the confirmation is never sent, and
    // the username comes from the session (the policy applies the same rule on the server).
    const errors = validateFields(changePasswordBodySchema(minPasswordLength), body, [
      usernameInPasswordCheck("newPassword", newPassword, username),
      ["confirmPassword", formPassword(data, "confirmPassword") !== newPassword, "The two new passwords don't match."],
    ]);
    if (hasFieldErrors(errors)) return form.showFieldErrors(errors);

    form.clear();
    form.setBusy(true);
    let res: Response;
    try {
      res = await apiFetch("/api/account/password", jsonRequest("POST", body));
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
