"use client";

import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/messages";
import { describeApiError, NETWORK_ERROR_MESSAGE, readApiError } from "@/lib/client/api-error";
import { apiFetch } from "@/lib/client/api-fetch";
import { formatDateTime } from "@/lib/client/format";
import type { AuditEvent } from "./types";

type Filters = { type: string; user: string };
type Feed = { events: AuditEvent[]; nextCursor: string | null };

const INPUT = "mt-1.5 block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm shadow-sm placeholder:text-zinc-400";

function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return "";
  if (typeof detail !== "object" || Array.isArray(detail)) return JSON.stringify(detail);
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(", ");
}

function keepUrlInStep(filters: Filters) {
  // Shareable, reload-proof filters without re-rendering the server page (and re-checking the DAL) per keystroke.
  const params = new URLSearchParams();
  if (filters.type) params.set("type", filters.type);
  if (filters.user) params.set("user", filters.user);
  const search = params.toString();
  window.history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
}

export function AuditLog({ initial }: { initial: Filters }) {
  const [draft, setDraft] = useState<Filters>(initial);
  const [filters, setFilters] = useState<Filters>(initial);
  const [feed, setFeed] = useState<Feed | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [seenTypes, setSeenTypes] = useState<string[]>([]);
  const typeId = useId();
  const userId = useId();
  const typesListId = useId();

  const fetchPage = useCallback(async (applied: Filters, cursor: string | null, signal?: AbortSignal): Promise<Feed | null> => {
    const params = new URLSearchParams();
    if (applied.type) params.set("type", applied.type);
    if (applied.user) params.set("user", applied.user);
    if (cursor) params.set("cursor", cursor);
    try {
      const res = await apiFetch(`/api/admin/audit?${params}`, { signal });
      if (!res.ok) {
        setError(describeApiError(await readApiError(res)));
        return null;
      }
      const page = (await res.json()) as Feed;
      setSeenTypes((known) => [...new Set([...known, ...page.events.map((e) => e.type)])].sort());
      setError(null);
      return page;
    } catch {
      if (!signal?.aborted) setError(NETWORK_ERROR_MESSAGE);
      return null;
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    void fetchPage(filters, null, controller.signal).then((page) => {
      if (controller.signal.aborted) return;
      if (page) setFeed(page);
      setLoading(false);
    });
    return () => controller.abort();
  }, [filters, fetchPage]);

  async function loadMore() {
    if (!feed?.nextCursor || loading) return;
    setLoading(true);
    const page = await fetchPage(filters, feed.nextCursor);
    if (page) setFeed((current) => ({ events: [...(current?.events ?? []), ...page.events], nextCursor: page.nextCursor }));
    setLoading(false);
  }

  function apply(next: Filters) {
    // Event types are lower-case identifiers (the API refuses anything else).
    const trimmed = { type: next.type.trim().toLowerCase(), user: next.user.trim() };
    setDraft(trimmed);
    setFilters(trimmed);
    keepUrlInStep(trimmed);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    apply(draft);
  }

  const events = feed?.events ?? [];
  const filtered = Boolean(filters.type || filters.user);

  return (
    <div className="space-y-4">
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is too new for some screen readers; role="search" is read everywhere. */}
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter audit events">
        <div className="w-full sm:w-56">
          <label htmlFor={typeId} className="block text-sm font-medium text-zinc-900">
            Event type
          </label>
          <input
            id={typeId}
            list={typesListId}
            value={draft.type}
            onChange={(e) => setDraft({ ...draft, type: e.currentTarget.value })}
            placeholder="Any type"
            autoComplete="off"
            spellCheck={false}
            className={INPUT}
          />
          <datalist id={typesListId}>
            {seenTypes.map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
        </div>
        <div className="w-full sm:w-56">
          <label htmlFor={userId} className="block text-sm font-medium text-zinc-900">
            User
          </label>
          <input
            id={userId}
            value={draft.user}
            onChange={(e) => setDraft({ ...draft, user: e.currentTarget.value })}
            placeholder="Any user"
            autoComplete="off"
            spellCheck={false}
            className={INPUT}
          />
        </div>
        <Button type="submit">Apply filters</Button>
        {filtered ? (
          <Button variant="ghost" onClick={() => apply({ type: "", user: "" })}>
            Clear filters
          </Button>
        ) : null}
      </form>

      <ErrorAlert message={error} />

      {/* Scrolls sideways on small screens; focusable so keyboard users can scroll it too (it holds no controls). */}
      {/* biome-ignore lint/a11y/useSemanticElements: a <section> would add a landmark per page; the region role is what names it. */}
      <div
        // biome-ignore lint/a11y/noNoninteractiveTabindex: WCAG 2.1.1: a scrollable region must be focusable to scroll by keyboard.
        tabIndex={0}
        role="region"
        aria-label="Audit events"
        className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-sm"
      >
        <table className="w-full min-w-[56rem] divide-y divide-zinc-200 text-sm" aria-busy={loading}>
          <caption className="px-4 py-2.5 text-left text-xs text-zinc-600">
            Audit events, newest first{filters.type ? `, type “${filters.type}”` : ""}
            {filters.user ? `, user “${filters.user}”` : ""}
          </caption>
          <thead className="bg-zinc-50 text-left text-xs font-medium tracking-wide text-zinc-600 uppercase">
            <tr>
              <th scope="col" className="px-4 py-2.5">
                Time
              </th>
              <th scope="col" className="px-4 py-2.5">
                Event
              </th>
              <th scope="col" className="px-4 py-2.5">
                User
              </th>
              <th scope="col" className="px-4 py-2.5">
                By
              </th>
              <th scope="col" className="px-4 py-2.5">
                Address
              </th>
              <th scope="col" className="px-4 py-2.5">
                Details
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {events.map((event) => (
              <tr key={event.id} className="align-top">
                <td className="px-4 py-2.5 whitespace-nowrap text-zinc-700">
                  <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
                </td>
                <th scope="row" className="px-4 py-2.5 text-left font-normal">
                  <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800">{event.type}</code>
                </th>
                <td className="px-4 py-2.5 text-zinc-900">
                  {event.user?.username ?? (event.subject ? <span className="text-zinc-600">{event.subject} (no account)</span> : "—")}
                </td>
                <td className="px-4 py-2.5 text-zinc-700">{actorLabel(event)}</td>
                <td className="px-4 py-2.5 font-mono text-xs text-zinc-700" title={event.userAgent ?? undefined}>
                  {event.address ?? "—"}
                </td>
                <td className="max-w-xs px-4 py-2.5 text-xs break-all text-zinc-600">{detailText(event.detail) || "—"}</td>
              </tr>
            ))}
            {!loading && events.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-4 py-10 text-center text-zinc-600">
                  {filtered ? "No events match these filters." : "No events yet."}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>

      <div className="flex items-center justify-between gap-3">
        <p className="text-sm text-zinc-600" aria-live="polite">
          {loading ? "Loading…" : `Showing ${events.length} ${events.length === 1 ? "event" : "events"}`}
        </p>
        {feed?.nextCursor ? (
          <Button variant="secondary" size="sm" busy={loading} onClick={loadMore}>
            Load more
          </Button>
        ) : null}
      </div>
    </div>
  );
}

/** Most events are done by the account itself; name the actor only when someone else acted. */
function actorLabel(event: AuditEvent): string {
  if (!event.actor) return "—";
  if (event.actor.id === event.user?.id) return "self";
  return event.actor.username ?? "(deleted account)";
}
