"use client";
// Shows the current access token's remaining life, following renewals from this tab and others,
// so the silent refresh is visible on the dashboard.
import { useEffect, useState } from "react";
import { subscribeAuthEvents } from "@/lib/client/session";

function remainingText(ms: number): string {
  if (ms <= 0) return "expired; renewing on your next action";
  const total = Math.floor(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes > 0 ? `${minutes} min ${String(seconds).padStart(2, "0")} s` : `${seconds} s`;
}

export function AccessTokenStatus({ accessExpiresAt }: { accessExpiresAt: number }) {
  const [expiresAt, setExpiresAt] = useState(accessExpiresAt);
  const [now, setNow] = useState<number | null>(null);
  const [renewals, setRenewals] = useState(0);

  useEffect(() => {
    setNow(Date.now());
    const tick = setInterval(() => setNow(Date.now()), 1000);
    const unsubscribe = subscribeAuthEvents((event) => {
      if (event.type !== "refreshed") return;
      setExpiresAt(event.accessExpiresAt);
      setRenewals((n) => n + 1);
    });
    return () => {
      clearInterval(tick);
      unsubscribe();
    };
  }, []);

  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-zinc-600">Access token expires in</dt>
      {/* Rendered only in the browser: the server's clock and time zone would not match the client's. */}
      <dd className="font-medium tabular-nums text-zinc-900">{now === null ? "…" : remainingText(expiresAt - now)}</dd>
      <dt className="text-zinc-600">Renewed on this page</dt>
      <dd className="font-medium tabular-nums text-zinc-900">
        {renewals} {renewals === 1 ? "time" : "times"}
      </dd>
    </dl>
  );
}
