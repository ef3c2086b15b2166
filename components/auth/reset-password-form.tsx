"use client";

import Link from "next/link";
import { type FormEvent, useActionState, useState } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { ErrorSummary } from "@/components/ui/error-summary";
import { formPassword, formText, useApiForm } from "@/components/ui/use-api-form";
import { hasFieldErrors, validateFields } from "@/components/ui/validate";
import { RESET_START } from "@/lib/actions/form-state";
import { resetPasswordAction } from "@/lib/actions/password-actions";
import { readApiError } from "@/lib/client/api-error";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { resetPasswordBodySchema } from "@/lib/validation/fields";
import { AuthShell } from "./auth-shell";
import { LINK_CLASSES, useHeadingFocus, useTokenOutOfAddressBar } from "./emailed-link";
import { NewPasswordField } from "./new-password-field";

const FIELDS = ["password"] as const;
const IDS = { password: "reset-password" };

const backToSignIn = (
  <Link href="/login" className={LINK_CLASSES}>
    Back to sign in
  </Link>
);

/**
 * The page a reset link opens. Nothing happens on GET (mail scanners open links): the token waits
 * in a hidden field until the person chooses a password and submits. Without JavaScript the form
 * posts to resetPasswordAction: a 303 to /login, or this page with the problem.
 */
export function ResetPassword({ token, minPasswordLength }: { token: string | null; minPasswordLength: number }) {
  const [state, formAction] = useActionState(resetPasswordAction, RESET_START);
  const form = useApiForm(FIELDS, "password", state);
  const [invalid, setInvalid] = useState(token === null || state.invalid);
  const headingRef = useHeadingFocus(invalid);
  useTokenOutOfAddressBar();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.busy) return;
    const data = new FormData(event.currentTarget);
    const body = { token: formText(data, "token"), password: formPassword(data, "password") };
    // The handler's schema; common passwords and the username rule are left to the server.
    const errors = validateFields(resetPasswordBodySchema(minPasswordLength), body);
    if (errors.token) return setInvalid(true);
    if (hasFieldErrors(errors)) return form.showFieldErrors(errors);

    form.clear();
    form.setBusy(true);
    let res: Response;
    try {
      res = await apiFetch("/api/auth/password/reset", jsonRequest("POST", body));
    } catch {
      form.setBusy(false);
      return form.showNetworkError();
    }
    if (res.ok) {
      // Every session of the account has just ended: sign in afresh with the new password.
      window.location.assign("/login?reset=1");
      return;
    }
    form.setBusy(false);
    const error = await readApiError(res);
    if (error.code === "invalid_token" || error.fields.token) return setInvalid(true);
    form.showApiError(error);
  }

  if (invalid || token === null) {
    return (
      <AuthShell
        title="This link has expired or was already used"
        description={<p>A reset link works once, for 30 minutes, and asking for a new one cancels the earlier ones.</p>}
        headingRef={headingRef}
        footer={backToSignIn}
      >
        <Link href="/forgot-password" className={buttonClasses("primary", "md", "w-full")}>
          Ask for a new link
        </Link>
      </AuthShell>
    );
  }

  return (
    <AuthShell
      title="Choose a new password"
      description={<p>Setting a new password signs your account out everywhere; you then sign in with the new one.</p>}
      headingRef={headingRef}
      footer={backToSignIn}
    >
      <form ref={form.formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
        <ErrorSummary
          ref={form.summaryRef}
          errors={form.fieldErrors}
          fieldIds={IDS}
          message={form.message}
          autoFocus={state !== RESET_START}
        />
        <input type="hidden" name="token" value={token} />
        <NewPasswordField
          id={IDS.password}
          label="New password"
          name="password"
          minLength={minPasswordLength}
          errors={form.fieldErrors.password}
        />
        <Button type="submit" busy={form.busy} className="w-full">
          {form.busy ? "Saving…" : "Set new password"}
        </Button>
      </form>
    </AuthShell>
  );
}
