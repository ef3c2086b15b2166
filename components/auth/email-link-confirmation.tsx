"use client";

import Link from "next/link";
import { type FormEvent, type ReactNode, useState } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/messages";
import { formText, useApiForm } from "@/components/ui/use-api-form";
import { readApiError } from "@/lib/client/api-error";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { AuthShell } from "./auth-shell";
import { useHeadingFocus, useTokenOutOfAddressBar } from "./emailed-link";

export type EmailLinkKind = "verify" | "confirm";

type Copy = {
  endpoint: string;
  title: string;
  description: string;
  button: string;
  done: (email: string) => ReactNode;
  invalid: string;
};

const COPY: Record<EmailLinkKind, Copy> = {
  verify: {
    endpoint: "/api/auth/email/verify",
    title: "Confirm your email address",
    description: "Confirm that this address belongs to your Latchkey account. You can then use it to reset your password.",
    button: "Confirm my email address",
    done: (email) => (
      <>
        <span className="font-medium break-all text-zinc-900">{email}</span> belongs to your account. You can use it to sign in and to reset
        your password.
      </>
    ),
    invalid:
      "A confirmation link works once, for 24 hours, and a newer link replaces the older ones. Your account page shows whether your address is confirmed, and sends a new link if it is not.",
  },
  confirm: {
    endpoint: "/api/auth/email/confirm",
    title: "Use your new email address",
    description: "Your account switches to this address when you confirm it. Until then it keeps the old one.",
    button: "Use this email address",
    done: (email) => (
      <>
        Your account now uses <span className="font-medium break-all text-zinc-900">{email}</span>, for signing in and for password resets.
      </>
    ),
    invalid:
      "A link to change your address works once, for 24 hours, and a newer request replaces the older ones. Your account keeps its current address; to change it, ask again on your account page.",
  },
};

type State = { step: "ask" } | { step: "done"; email: string } | { step: "invalid" } | { step: "taken"; message: string };

/**
 * The page a verification or email-change link opens: one button that POSTs the token. Nothing
 * happens on GET, so a mail scanner that opens the link spends nothing.
 */
export function EmailLinkConfirmation({ kind, token, signedIn }: { kind: EmailLinkKind; token: string | null; signedIn: boolean }) {
  const copy = COPY[kind];
  const form = useApiForm([]);
  const [state, setState] = useState<State>(token === null ? { step: "invalid" } : { step: "ask" });
  const headingRef = useHeadingFocus(state.step);
  useTokenOutOfAddressBar();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.busy) return;
    const body = { token: formText(new FormData(event.currentTarget), "token") };
    if (!body.token) return setState({ step: "invalid" });

    form.clear();
    form.setBusy(true);
    let res: Response;
    try {
      res = await apiFetch(copy.endpoint, jsonRequest("POST", body));
    } catch {
      form.setBusy(false);
      return form.showNetworkError();
    }
    form.setBusy(false);
    if (res.ok) {
      const answer = (await res.json().catch(() => ({}))) as { user?: { email?: unknown } };
      const email = typeof answer.user?.email === "string" ? answer.user.email : "Your email address";
      return setState({ step: "done", email });
    }
    const error = await readApiError(res);
    if (error.code === "invalid_token" || error.fields.token) return setState({ step: "invalid" });
    if (error.code === "email_taken") return setState({ step: "taken", message: error.message });
    form.showApiError(error);
  }

  // Where to go next: the account page (through sign-in when needed), which shows the address and its status.
  const next = signedIn ? (
    <Link href="/account" className={buttonClasses("primary", "md", "w-full")}>
      Go to your account
    </Link>
  ) : (
    <Link href="/login?next=%2Faccount" className={buttonClasses("primary", "md", "w-full")}>
      Sign in
    </Link>
  );

  if (state.step === "done") {
    return (
      <AuthShell title="Your email address is confirmed" description={<p>{copy.done(state.email)}</p>} headingRef={headingRef}>
        {next}
      </AuthShell>
    );
  }
  if (state.step === "invalid" || token === null) {
    return (
      <AuthShell title="This link has expired or was already used" description={<p>{copy.invalid}</p>} headingRef={headingRef}>
        {next}
      </AuthShell>
    );
  }
  if (state.step === "taken") {
    return (
      <AuthShell
        title="That address is already in use"
        description={
          <p>
            {state.message} Another account confirmed it first, so yours keeps its current address. You can choose a different one on your
            account page.
          </p>
        }
        headingRef={headingRef}
      >
        {next}
      </AuthShell>
    );
  }

  return (
    <AuthShell title={copy.title} description={<p>{copy.description}</p>} headingRef={headingRef}>
      <form ref={form.formRef} method="post" onSubmit={onSubmit} noValidate className="space-y-5">
        <ErrorAlert message={form.message} />
        <input type="hidden" name="token" value={token} />
        <Button type="submit" busy={form.busy} className="w-full">
          {form.busy ? "Confirming…" : copy.button}
        </Button>
      </form>
    </AuthShell>
  );
}
