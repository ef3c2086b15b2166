"use client";

import { useState } from "react";
import { ChangePasswordForm } from "./change-password-form";
import { SessionsPanel } from "./sessions-panel";

/** Password and sessions share state: a password change ends other sessions, so the list reloads. */
export function AccountSecurity({ username, minPasswordLength }: { username: string; minPasswordLength: number }) {
  const [version, setVersion] = useState(0);
  return (
    <>
      <ChangePasswordForm username={username} minPasswordLength={minPasswordLength} onChanged={() => setVersion((v) => v + 1)} />
      <SessionsPanel version={version} />
    </>
  );
}
