"use client";

import { useState } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "@/components/ui/button";
import { signOut } from "@/lib/client/sign-out";

type SignOutButtonProps = {
  everywhere?: boolean;
  label?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
};

/** POSTs the logout (never a GET link), then a full navigation to /login. */
export function SignOutButton({ everywhere = false, label, variant = "secondary", size = "sm" }: SignOutButtonProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onClick() {
    setBusy(true);
    setError(null);
    const result = await signOut({ everywhere });
    if (result.ok) {
      window.location.assign("/login");
      return;
    }
    setBusy(false);
    setError(result.message);
  }

  const idle = label ?? (everywhere ? "Sign out everywhere" : "Sign out");
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <Button variant={variant} size={size} busy={busy} onClick={onClick}>
        {busy ? "Signing out…" : idle}
      </Button>
      <span role="alert" className={error ? "max-w-xs text-right text-xs text-red-700" : ""}>
        {error}
      </span>
    </span>
  );
}
