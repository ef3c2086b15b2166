"use client";

import { useSearchParams } from "next/navigation";
import { type FormEvent, useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorSummary } from "@/components/ui/error-summary";
import { StatusMessage } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";
import { type FieldErrors, formPassword, useApiForm } from "@/components/ui/use-api-form";
import { hasFieldErrors, usernameInPasswordCheck, validateFields } from "@/components/ui/validate";
import { EMPTY_FORM } from "@/lib/actions/form-state";
import { changePasswordAction } from "@/lib/actions/password-actions";
import { readApiError } from "@/lib/client/api-error";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { changePasswordBodySchema } from "@/lib/validation/fields";

const FIELDS = ["currentPassword", "newPassword", "confirmPassword"] as const;
const IDS = { currentPassword: "current-password", newPassword: "new-password", confirmPassword: "confirm-password" };
const CHANGED = "Password changed. Every other session was signed out; this one stays signed in.";

type Props = { username: string; minPasswordLength: number; onChanged: () => void };

/**
 * Without JavaScript the form posts to changePasswordAction: a 303 to /account?password-changed=1,
 * which shows the same confirmation, or this page with every problem.
 */
export function ChangePasswordForm({ username, minPasswordLength, onChanged }: Props) {
  const [state, formAction] = useActionState(changePasswordAction, EMPTY_FORM);
  const form = useApiForm(FIELDS, "currentPassword", state);
  const changed = useSearchParams().get("password-changed") === "1";
  const [success, setSuccess] = useState<string | null>(changed && state === EMPTY_FORM ? CHANGED : null);

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
    // Every problem at once: only the server knows whether the current password is right, so a
    // form the server will refuse anyway is still sent, and its answer is shown with ours. A form
    // whose only problem is the confirmation is not sent: the server would accept it.
    const { confirmPassword: mismatch, ...refusedByServer } = errors;
    if (mismatch && !hasFieldErrors(refusedByServer)) return form.showFieldErrors(errors);

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
      setSuccess(CHANGED);
      onChanged();
      return;
    }
    const error = await readApiError(res);
    const local: FieldErrors = mismatch ? { confirmPassword: mismatch } : {};
    if (error.code === "invalid_credentials") return form.showFieldErrors({ currentPassword: [error.message], ...local });
    if (error.fields) return form.showFieldErrors({ ...errors, ...error.fields, ...local });
    if (hasFieldErrors(errors)) return form.showFieldErrors(errors);
    form.showApiError(error);
  }

  return (
    <Card
      title="Change password"
      description={`At least ${minPasswordLength} characters, no composition rules. Changing it signs out your other sessions.`}
    >
      <form ref={form.formRef} action={formAction} onSubmit={onSubmit} noValidate className="max-w-md space-y-5">
        <ErrorSummary
          ref={form.summaryRef}
          errors={form.fieldErrors}
          fieldIds={IDS}
          message={form.message}
          autoFocus={state !== EMPTY_FORM}
        />
        <StatusMessage message={success} />
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <TextField
          label="Current password"
          id={IDS.currentPassword}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          errors={form.fieldErrors.currentPassword}
        />
        <TextField
          label="New password"
          id={IDS.newPassword}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          errors={form.fieldErrors.newPassword}
        />
        <TextField
          label="Confirm new password"
          id={IDS.confirmPassword}
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
