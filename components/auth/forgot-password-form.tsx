"use client";

import Link from "next/link";
import { type FormEvent, useActionState, useState } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { ErrorSummary } from "@/components/ui/error-summary";
import { TextField } from "@/components/ui/text-field";
import { formText, useApiForm } from "@/components/ui/use-api-form";
import { hasFieldErrors, validateFields } from "@/components/ui/validate";
import { FORGOT_START } from "@/lib/actions/form-state";
import { forgotPasswordAction } from "@/lib/actions/password-actions";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { ForgotPasswordBodySchema } from "@/lib/validation/fields";
import { AuthShell } from "./auth-shell";
import { LINK_CLASSES, useHeadingFocus } from "./emailed-link";

const FIELDS = ["identifier"] as const;
const IDS = { identifier: "forgot-identifier" };
const FALLBACK_SENT = "If that account exists and has an email address, a link to reset its password is on its way.";

const signIn = (
  <Link href="/login" className={buttonClasses("primary", "md", "w-full")}>
    Back to sign in
  </Link>
);

/**
 * "Forgot password?": asks for a reset link, then says to check the mail (the same answer whether
 * or not the account exists). With EMAIL_DELIVERY=off, resets are an administrator's job.
 * Without JavaScript the form posts to forgotPasswordAction, whose answer is the same page.
 */
export function ForgotPassword({ mailEnabled }: { mailEnabled: boolean }) {
  const [state, formAction] = useActionState(forgotPasswordAction, FORGOT_START, "/forgot-password");
  const form = useApiForm(FIELDS, "identifier", state);
  // The server's answer once a link was asked for; null while the form shows.
  const [sent, setSent] = useState<string | null>(state.sent);
  const headingRef = useHeadingFocus(sent !== null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.busy) return;
    const body = { identifier: formText(new FormData(event.currentTarget), "identifier") };
    const errors = validateFields(ForgotPasswordBodySchema, body);
    if (hasFieldErrors(errors)) return form.showFieldErrors(errors);

    form.clear();
    form.setBusy(true);
    let res: Response;
    try {
      res = await apiFetch("/api/auth/password/forgot", jsonRequest("POST", body));
    } catch {
      form.setBusy(false);
      return form.showNetworkError();
    }
    form.setBusy(false);
    if (res.status === 202) {
      const answer = (await res.json().catch(() => ({}))) as { message?: unknown };
      setSent(typeof answer.message === "string" && answer.message ? answer.message : FALLBACK_SENT);
      return;
    }
    await form.showResponseError(res);
  }

  if (!mailEnabled) {
    return (
      <AuthShell
        title="Forgot your password?"
        description={
          <p>This server sends no mail. Ask an administrator to reset your password: they can give you a link to choose a new one.</p>
        }
      >
        {signIn}
      </AuthShell>
    );
  }

  if (sent !== null) {
    return (
      <AuthShell title="Check your email" description={<p>{sent}</p>} headingRef={headingRef}>
        <div className="space-y-4 text-sm text-zinc-700">
          <p>The link works once, for 30 minutes. If nothing arrives within a few minutes, look in your spam folder.</p>
          <p>No email address on your account? Ask an administrator to reset your password.</p>
          {signIn}
          {/* A link, not a button: it must work without JavaScript too. */}
          <Link
            href="/forgot-password"
            onClick={(e) => {
              e.preventDefault();
              setSent(null);
            }}
            className={buttonClasses("ghost", "md", "w-full")}
          >
            Try another username or email
          </Link>
        </div>
      </AuthShell>
    );
  }

  return (
    <AuthShell
      title="Forgot your password?"
      description={<p>Enter your username or the email address on your account. We’ll email you a link to choose a new password.</p>}
      headingRef={headingRef}
      footer={
        <>
          Remembered it?{" "}
          <Link href="/login" className={LINK_CLASSES}>
            Sign in
          </Link>
        </>
      }
    >
      <form ref={form.formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
        <ErrorSummary
          ref={form.summaryRef}
          errors={form.fieldErrors}
          fieldIds={IDS}
          message={form.message}
          autoFocus={state !== FORGOT_START}
        />
        <TextField
          id={IDS.identifier}
          label="Username or email"
          name="identifier"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
          defaultValue={state.values.identifier}
          errors={form.fieldErrors.identifier}
        />
        <Button type="submit" busy={form.busy} className="w-full">
          {form.busy ? "Sending…" : "Send reset link"}
        </Button>
      </form>
    </AuthShell>
  );
}
