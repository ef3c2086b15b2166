"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";
import { formText, useApiForm } from "@/components/ui/use-api-form";
import { hasFieldErrors, validateFields } from "@/components/ui/validate";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { ForgotPasswordBodySchema } from "@/lib/validation/fields";
import { AuthShell } from "./auth-shell";
import { LINK_CLASSES, useHeadingFocus } from "./emailed-link";

const FIELDS = ["identifier"] as const;
const FALLBACK_SENT = "If that account exists and has an email address, a link to reset its password is on its way.";

const signIn = (
  <Link href="/login" className={buttonClasses("primary", "md", "w-full")}>
    Back to sign in
  </Link>
);

/**
 * "Forgot password?": asks for a reset link, then says to check the mail (the same answer whether
 * or not the account exists). With EMAIL_DELIVERY=off, resets are an administrator's job.
 */
export function ForgotPassword({ mailEnabled }: { mailEnabled: boolean }) {
  const form = useApiForm(FIELDS, "identifier");
  // The server's answer once a link was asked for; null while the form shows.
  const [sent, setSent] = useState<string | null>(null);
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
          <Button variant="ghost" className="w-full" onClick={() => setSent(null)}>
            Try another username or email
          </Button>
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
      <form ref={form.formRef} method="post" onSubmit={onSubmit} noValidate className="space-y-5">
        <ErrorAlert message={form.message} />
        <TextField
          label="Username or email"
          name="identifier"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
          errors={form.fieldErrors.identifier}
        />
        <Button type="submit" busy={form.busy} className="w-full">
          {form.busy ? "Sending…" : "Send reset link"}
        </Button>
      </form>
    </AuthShell>
  );
}
