"use client";

import { type FormEvent, useState } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "@/components/ui/button";
import { signOutAction } from "@/lib/actions/auth-actions";
import { signedOutUrl } from "@/lib/actions/signed-out";
import { signOut } from "@/lib/client/sign-out";

type SignOutButtonProps = {
  everywhere?: boolean;
  label?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
};

/**
 * POSTs the logout (never a GET link), then a full navigation to /login, which says the person
 * signed out. A form, so that without JavaScript it posts to signOutAction, which answers with a
 * 303 to the same address.
 */
export function SignOutButton({ everywhere = false, label, variant = "secondary", size = "sm" }: SignOutButtonProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await signOut({ everywhere });
    if (result.ok) {
      window.location.assign(signedOutUrl(everywhere));
      return;
    }
    setBusy(false);
    setError(result.message);
  }

  const idle = label ?? (everywhere ? "Sign out everywhere" : "Sign out");
  return (
    <form action={signOutAction} onSubmit={onSubmit} className="inline-flex flex-col items-end gap-1">
      {everywhere ? <input type="hidden" name="everywhere" value="1" /> : null}
      <Button type="submit" variant={variant} size={size} busy={busy}>
        {busy ? "Signing out…" : idle}
      </Button>
      <span role="alert" className={error ? "max-w-xs text-right text-xs text-red-700" : ""}>
        {error}
      </span>
    </form>
  );
}
