"use client";

import { useState, useSyncExternalStore } from "react";
import { describeApiError, NETWORK_ERROR_MESSAGE, readApiError } from "@/lib/client/api-error";
import { refreshSession } from "@/lib/client/session";
import { Button } from "./button";

type Props = {
  /** The account being acted as. */
  user: { id: string; username: string };
  impersonator: { username: string };
  /** ISO time the impersonation ends at the latest. */
  expiresAt: string;
};

const UTC_TIME = new Intl.DateTimeFormat("en", { timeStyle: "short", timeZone: "UTC" });
const subscribeNever = () => () => {};

/** The end time in the viewer's zone; the server renders UTC so hydration sees the same text. */
function EndTime({ iso }: { iso: string }) {
  const hydrated = useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
  const at = new Date(iso);
  const text = hydrated ? new Intl.DateTimeFormat("en", { timeStyle: "short" }).format(at) : `${UTC_TIME.format(at)} UTC`;
  return <time dateTime={iso}>{text}</time>;
}

async function postStop(): Promise<Response> {
  return window.fetch("/api/auth/impersonation/stop", {
    method: "POST",
    credentials: "same-origin",
    headers: { accept: "application/json" },
  });
}

/**
 * Shown on every signed-in page while an admin acts as someone else: who, by whom, until when,
 * and the way back. Stopping returns the admin to their own session, on the account's admin page.
 */
export function ImpersonationBanner({ user, impersonator, expiresAt }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function stop() {
    setBusy(true);
    setError(null);
    try {
      let res = await postStop();
      if (res.status === 401) {
        // An expired access token: renew the impersonation's once, so the server knows which to end.
        const outcome = await refreshSession();
        if (outcome.status === "refreshed") res = await postStop();
        else if (outcome.status === "signed-out") return window.location.assign("/login");
      }
      if (res.ok) return window.location.assign(`/admin/users/${encodeURIComponent(user.id)}`);
      // The admin's own session ended meanwhile: the impersonation is over too; sign in again.
      if (res.status === 401) return window.location.assign("/login");
      setError(describeApiError(await readApiError(res)));
    } catch {
      setError(NETWORK_ERROR_MESSAGE);
    }
    setBusy(false);
  }

  return (
    <section aria-label="Impersonation" className="border-b border-amber-300 bg-amber-100 text-amber-950">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2 sm:px-6">
        <p className="min-w-0 flex-1 basis-64 text-sm break-words">
          You are signed in as <strong className="font-semibold">{user.username}</strong>, impersonated by{" "}
          <strong className="font-semibold">{impersonator.username}</strong>. Ends at <EndTime iso={expiresAt} />.
        </p>
        <Button variant="secondary" size="sm" busy={busy} onClick={stop} className="border-amber-400">
          {busy ? "Stopping…" : "Stop impersonating"}
        </Button>
        <p role="alert" className={error ? "w-full text-sm text-red-800" : "sr-only"}>
          {error}
        </p>
      </div>
    </section>
  );
}
