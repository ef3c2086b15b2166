"use client";

import { type FormEvent, useId, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorAlert, StatusMessage } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";
import { formPassword, formText, useApiForm } from "@/components/ui/use-api-form";
import { hasFieldErrors, validateFields } from "@/components/ui/validate";
import { describeApiError, NETWORK_ERROR_MESSAGE, readApiError } from "@/lib/client/api-error";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { EmailChangeBodySchema, ReauthenticateBodySchema } from "@/lib/validation/fields";

const FIELDS = ["email", "password"] as const;

type Props = {
  username: string;
  email: string | null;
  emailVerified: boolean;
  /** False with EMAIL_DELIVERY=off: nothing can be confirmed, so nothing can be changed here either. */
  mailEnabled: boolean;
};

/** The account's address and whether it is confirmed, a new confirmation link, and changing (or adding) the address. */
export function EmailCard({ username, email, emailVerified, mailEnabled }: Props) {
  if (!mailEnabled) {
    return (
      <Card title="Email" description="This server sends no mail, so addresses are not confirmed and cannot be changed here.">
        <div className="space-y-3 text-sm">
          {email ? (
            <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-6 gap-y-3 sm:grid-cols-[10rem_minmax(0,1fr)]">
              <dt className="text-zinc-600">Address</dt>
              <dd className="font-medium break-words text-zinc-900">{email}</dd>
            </dl>
          ) : (
            <p className="text-zinc-700">Your account has no email address.</p>
          )}
          <p className="text-zinc-600">If yours needs to change, or you forget your password, ask an administrator.</p>
        </div>
      </Card>
    );
  }
  return (
    <Card title="Email" description="Where Latchkey sends password reset links and security notices.">
      <div className="space-y-6">
        {email ? (
          <AddressStatus email={email} verified={emailVerified} />
        ) : (
          <p className="text-sm text-zinc-700">
            Your account has no email address. Add one so that you can reset your password by email if you forget it.
          </p>
        )}
        <ChangeEmailForm username={username} hasEmail={email !== null} />
      </div>
    </Card>
  );
}

function AddressStatus({ email, verified: verifiedAtLoad }: { email: string; verified: boolean }) {
  const [verified, setVerified] = useState(verifiedAtLoad);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function sendLink() {
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      const res = await apiFetch("/api/account/email/verification", { method: "POST" });
      if (res.ok) {
        setStatus(`A new confirmation link is on its way to ${email}. It works once, for 24 hours.`);
      } else {
        const problem = await readApiError(res);
        if (problem.code === "already_verified") {
          setVerified(true);
          setStatus("Your email address is already confirmed.");
        } else {
          setError(describeApiError(problem));
        }
      }
    } catch {
      setError(NETWORK_ERROR_MESSAGE);
    }
    setBusy(false);
  }

  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
        <dt className="text-zinc-600">Address</dt>
        <dd className="font-medium break-words text-zinc-900">{email}</dd>
        <dt className="text-zinc-600">Status</dt>
        <dd>{verified ? <Badge tone="green">Confirmed</Badge> : <Badge tone="amber">Not confirmed</Badge>}</dd>
      </dl>
      {verified ? null : (
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <p className="min-w-0 flex-1 basis-64 text-sm text-zinc-600">
            Open the link we mailed to this address to confirm it. Lost the mail or the link expired? Ask for a new one.
          </p>
          <Button variant="secondary" size="sm" busy={busy} onClick={sendLink}>
            {busy ? "Sending…" : "Send a new confirmation link"}
          </Button>
        </div>
      )}
      <ErrorAlert message={error} />
      <StatusMessage message={status} />
    </div>
  );
}

/**
 * A new address takes effect only when the link mailed to it is opened. Asking needs a fresh
 * authentication: the current password goes to /api/auth/reauthenticate first.
 */
function ChangeEmailForm({ username, hasEmail }: { username: string; hasEmail: boolean }) {
  const form = useApiForm(FIELDS, "email");
  const [success, setSuccess] = useState<string | null>(null);
  const headingId = useId();
  const title = hasEmail ? "Change email address" : "Add an email address";

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.busy) return;
    const formElement = event.currentTarget;
    const data = new FormData(formElement);
    const email = formText(data, "email");
    const password = formPassword(data, "password");
    setSuccess(null);
    const errors = { ...validateFields(EmailChangeBodySchema, { email }), ...validateFields(ReauthenticateBodySchema, { password }) };
    if (hasFieldErrors(errors)) return form.showFieldErrors(errors);

    form.clear();
    form.setBusy(true);
    try {
      const confirmed = await apiFetch("/api/auth/reauthenticate", jsonRequest("POST", { password }));
      if (!confirmed.ok) {
        form.setBusy(false);
        const error = await readApiError(confirmed);
        // A wrong password is the password field's problem, whatever fields the answer names.
        if (error.code === "invalid_credentials") return form.showFieldErrors({ password: [error.fields.password?.[0] ?? error.message] });
        return form.showApiError(error);
      }
      const res = await apiFetch("/api/account/email", jsonRequest("POST", { email }));
      form.setBusy(false);
      if (res.ok) {
        formElement.reset();
        // The address as the server will store it (lowercased, normalised), as the mail shows it.
        const sentTo = EmailChangeBodySchema.safeParse({ email }).data?.email ?? email;
        setSuccess(`Check ${sentTo} for a confirmation link. Your address changes when you open it; until then, nothing changes.`);
        return;
      }
      const error = await readApiError(res);
      if (error.code === "email_taken") return form.showFieldErrors({ email: [error.fields.email?.[0] ?? error.message] });
      form.showApiError(error);
    } catch {
      form.setBusy(false);
      form.showNetworkError();
    }
  }

  return (
    <div className="border-t border-zinc-100 pt-5">
      <h3 id={headingId} className="text-sm font-semibold text-zinc-900">
        {title}
      </h3>
      <p className="mt-1 text-sm text-zinc-600">
        We send a link to the new address; the change takes effect when you open it. Enter your password to confirm it’s you.
      </p>
      <form ref={form.formRef} method="post" onSubmit={onSubmit} noValidate aria-labelledby={headingId} className="mt-4 max-w-md space-y-5">
        <ErrorAlert message={form.message} />
        <StatusMessage message={success} />
        {/* Lets password managers offer this account's password. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <TextField
          label="New email address"
          name="email"
          type="email"
          autoComplete="email"
          spellCheck={false}
          required
          errors={form.fieldErrors.email}
        />
        <TextField
          label="Current password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={form.fieldErrors.password}
        />
        <Button type="submit" busy={form.busy}>
          {form.busy ? "Sending link…" : hasEmail ? "Change email address" : "Add email address"}
        </Button>
      </form>
    </div>
  );
}
