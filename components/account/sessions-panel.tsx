"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorAlert, StatusMessage } from "@/components/ui/messages";
import { describeApiError, NETWORK_ERROR_MESSAGE, readApiError } from "@/lib/client/api-error";
import { apiFetch } from "@/lib/client/api-fetch";
import { formatDateTime, formatRelative } from "@/lib/client/format";

export type SessionItem = {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  address: string | null;
  device: string | null;
  current: boolean;
  impersonator?: { username: string } | null;
};

function byRecency(a: SessionItem, b: SessionItem): number {
  if (a.current !== b.current) return a.current ? -1 : 1;
  return Date.parse(b.lastUsedAt) - Date.parse(a.lastUsedAt);
}

/** `version` changes when something else (a password change) ended sessions: reload then. */
export function SessionsPanel({ version }: { version: number }) {
  const [sessions, setSessions] = useState<SessionItem[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      const res = await apiFetch("/api/sessions", { signal });
      if (!res.ok) return setError(describeApiError(await readApiError(res)));
      const body = (await res.json()) as { sessions: SessionItem[] };
      setSessions([...body.sessions].sort(byRecency));
    } catch {
      if (!signal?.aborted) setError(NETWORK_ERROR_MESSAGE);
    }
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the reload trigger; bumping it must fetch again.
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load, version]);

  async function run(key: string, url: string, done: string) {
    setBusy(key);
    setStatus(null);
    setError(null);
    try {
      const res = await apiFetch(url, { method: "DELETE" });
      if (res.ok) setStatus(done);
      else if (res.status === 404) setStatus("That session had already ended.");
      else setError(describeApiError(await readApiError(res)));
    } catch {
      setError(NETWORK_ERROR_MESSAGE);
    }
    await load();
    setBusy(null);
    // The button that was pressed may be gone; keep keyboard focus inside the list.
    listRef.current?.focus();
  }

  const others = sessions?.filter((s) => !s.current) ?? [];

  return (
    <Card
      title="Sessions"
      description="Browsers and devices signed in to your account. Sign out of any you don't recognise."
      actions={
        <>
          <Button
            variant="secondary"
            size="sm"
            busy={busy === "others"}
            disabled={busy !== null || others.length === 0}
            onClick={() => run("others", "/api/sessions", "Signed out of every other session.")}
          >
            Sign out of other sessions
          </Button>
          <SignOutButton everywhere variant="danger" />
        </>
      }
    >
      <div className="space-y-3">
        <ErrorAlert message={error} />
        <StatusMessage message={status} />
      </div>
      <div ref={listRef} tabIndex={-1} aria-busy={sessions === null} className="mt-3">
        {sessions === null ? (
          error ? (
            <div className="flex flex-wrap items-center gap-3 py-4 text-sm text-zinc-600">
              Sessions could not be loaded.
              <Button
                variant="secondary"
                size="sm"
                onClick={() => {
                  setError(null);
                  void load();
                }}
              >
                Try again
              </Button>
            </div>
          ) : (
            <p className="py-4 text-sm text-zinc-600">Loading sessions…</p>
          )
        ) : (
          <ul className="divide-y divide-zinc-100">
            {sessions.map((session) => {
              const name = session.device || "Unknown device";
              return (
                <li key={session.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                  <div className="min-w-0">
                    <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-zinc-900">
                      {name}
                      {session.current ? <Badge tone="green">This device</Badge> : null}
                      {session.impersonator ? (
                        <Badge tone="amber">Administrator {session.impersonator.username} acting as you</Badge>
                      ) : null}
                    </p>
                    <p className="mt-0.5 text-xs text-zinc-600">
                      {session.address ?? "Unknown address"} · Signed in {formatDateTime(session.createdAt)} · Last active{" "}
                      <time dateTime={session.lastUsedAt} title={formatDateTime(session.lastUsedAt)}>
                        {formatRelative(session.lastUsedAt)}
                      </time>
                    </p>
                  </div>
                  {session.current ? null : (
                    <Button
                      variant="secondary"
                      size="sm"
                      busy={busy === session.id}
                      disabled={busy !== null}
                      onClick={() => run(session.id, `/api/sessions/${encodeURIComponent(session.id)}`, `Signed out of ${name}.`)}
                    >
                      Sign out<span className="sr-only"> of {name}</span>
                    </Button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </Card>
  );
}
