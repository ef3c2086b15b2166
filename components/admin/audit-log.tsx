"use client";

import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/messages";
import { type ApiError, NETWORK_ERROR_MESSAGE, readApiError } from "@/lib/client/api-error";
import { apiFetch } from "@/lib/client/api-fetch";
import { AuditEventsTable } from "./audit-events-table";
import { CursorPager } from "./cursor-pager";
import { useListUrl } from "./list-url";
import type { AuditEvent } from "./types";

const FILTERS = ["type", "user", "actor", "from", "to"] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
type Feed = { events: AuditEvent[]; nextCursor: string | null };

const EMPTY: Filters = { type: "", user: "", actor: "", from: "", to: "" };
const INPUT =
  "mt-1.5 block h-10 w-full min-w-0 rounded-md border border-zinc-300 bg-white px-3 text-sm shadow-sm placeholder:text-zinc-400";
const LABEL = "block text-sm font-medium text-zinc-900";

const pad = (n: number) => String(n).padStart(2, "0");

/** An ISO time from the URL as a datetime-local value in the viewer's zone (minutes). */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A datetime-local value (the viewer's zone) as an ISO time for the URL and the API, so a shared
 * link means the same moment everywhere. "To" covers its whole minute.
 */
function toIso(local: string, endOfMinute: boolean): string {
  if (!local) return "";
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return "";
  return new Date(d.getTime() + (endOfMinute ? 59_999 : 0)).toISOString();
}

function errorText(error: ApiError): string {
  const fields = Object.values(error.fields).flat();
  return fields.length > 0 ? fields.join(" ") : error.message;
}

export function AuditLog({ types }: { types: readonly string[] }) {
  const url = useListUrl(FILTERS);
  const applied: Filters = { ...EMPTY };
  for (const name of FILTERS) applied[name] = url.params.get(name) ?? "";
  const filtered = FILTERS.some((name) => applied[name] !== "");
  // The form's values; from and to are datetime-local text, filled in after hydration (they depend on the viewer's zone).
  const [draft, setDraft] = useState<Filters>({ ...applied, from: "", to: "" });
  const [feed, setFeed] = useState<Feed | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const ids = { type: useId(), user: useId(), userHint: useId(), actor: useId(), actorHint: useId(), from: useId(), to: useId() };
  const previousRef = useRef<HTMLButtonElement>(null);
  const nextRef = useRef<HTMLButtonElement>(null);
  const resultsRef = useRef<HTMLDivElement>(null);
  const pagedWith = useRef<"next" | "previous" | null>(null);

  const filterSearch = new URLSearchParams(FILTERS.flatMap((name) => (applied[name] ? [[name, applied[name]]] : []))).toString();
  const apiSearch = new URLSearchParams([...new URLSearchParams(filterSearch), ...(url.cursor ? [["cursor", url.cursor]] : [])]).toString();

  // The URL changed (Apply, Back, a link): the form shows what is applied.
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterSearch stands for every applied filter.
  useEffect(() => {
    setDraft({ ...applied, from: applied.from ? toLocalInput(applied.from) : "", to: applied.to ? toLocalInput(applied.to) : "" });
  }, [filterSearch]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    apiFetch(`/api/admin/audit${apiSearch ? `?${apiSearch}` : ""}`, { signal: controller.signal })
      .then(async (res) => {
        if (!res.ok) {
          setFeed(null);
          return setError(errorText(await readApiError(res)));
        }
        setFeed((await res.json()) as Feed);
        setError(null);
      })
      .catch(() => {
        if (!controller.signal.aborted) setError(NETWORK_ERROR_MESSAGE);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [apiSearch]);

  useEffect(() => {
    if (loading || !pagedWith.current) return;
    const pressed = pagedWith.current === "next" ? nextRef.current : previousRef.current;
    const other = pagedWith.current === "next" ? previousRef.current : nextRef.current;
    pagedWith.current = null;
    if (pressed && !pressed.disabled) pressed.focus();
    else if (other && !other.disabled) other.focus();
    else resultsRef.current?.focus();
  }, [loading]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    url.applyFilters({
      type: draft.type,
      user: draft.user,
      actor: draft.actor,
      from: toIso(draft.from, false),
      to: toIso(draft.to, true),
    });
  }

  const set = (name: keyof Filters) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setDraft((d) => ({ ...d, [name]: value }));
  };

  const events = feed?.events ?? [];
  const summary = loading
    ? ""
    : events.length > 0
      ? `Showing ${events.length} ${events.length === 1 ? "event" : "events"} on page ${url.pageNumber}`
      : filtered
        ? "No events match these filters"
        : "No events yet";
  const exportQuery = (format: string) =>
    `/api/admin/audit/export?${new URLSearchParams([["format", format], ...new URLSearchParams(filterSearch)])}`;
  const caption = [
    "Audit events, newest first",
    applied.type ? `type ${applied.type}` : "",
    applied.user ? `user ${applied.user}` : "",
    applied.actor ? `by ${applied.actor}` : "",
    applied.from || applied.to ? "within the chosen times" : "",
  ]
    .filter(Boolean)
    .join(", ");

  return (
    <div className="space-y-4">
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is too new for some screen readers; role="search" is read everywhere. */}
      <form onSubmit={onSubmit} role="search" aria-label="Filter audit events" className="space-y-3">
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
          <div className="min-w-0">
            <label htmlFor={ids.type} className={LABEL}>
              Event type
            </label>
            <select id={ids.type} value={draft.type} onChange={set("type")} className={INPUT}>
              <option value="">Any type</option>
              {/* A type from a link that this build does not know still shows as chosen. */}
              {draft.type && !types.includes(draft.type) ? <option value={draft.type}>{draft.type}</option> : null}
              {types.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          </div>
          <div className="min-w-0">
            <label htmlFor={ids.user} className={LABEL}>
              User
            </label>
            <input
              id={ids.user}
              value={draft.user}
              onChange={set("user")}
              placeholder="Any user"
              aria-describedby={ids.userHint}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              className={INPUT}
            />
            <p id={ids.userHint} className="mt-1 text-xs text-zinc-600">
              Username or account id
            </p>
          </div>
          <div className="min-w-0">
            <label htmlFor={ids.actor} className={LABEL}>
              Actor
            </label>
            <input
              id={ids.actor}
              value={draft.actor}
              onChange={set("actor")}
              placeholder="Anyone"
              aria-describedby={ids.actorHint}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              className={INPUT}
            />
            <p id={ids.actorHint} className="mt-1 text-xs text-zinc-600">
              Who acted: username or account id
            </p>
          </div>
          <div className="min-w-0">
            <label htmlFor={ids.from} className={LABEL}>
              From
            </label>
            <input id={ids.from} type="datetime-local" value={draft.from} onChange={set("from")} className={INPUT} />
          </div>
          <div className="min-w-0">
            <label htmlFor={ids.to} className={LABEL}>
              To
            </label>
            <input id={ids.to} type="datetime-local" value={draft.to} onChange={set("to")} className={INPUT} />
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit">Apply filters</Button>
          {filtered ? (
            <Button variant="ghost" onClick={() => url.applyFilters({ ...EMPTY })}>
              Clear filters
            </Button>
          ) : null}
          <div className="flex flex-wrap gap-2 sm:ml-auto">
            <a href={exportQuery("csv")} className={buttonClasses("secondary", "md")}>
              Export CSV
            </a>
            <a href={exportQuery("ndjson")} className={buttonClasses("secondary", "md")}>
              Export NDJSON
            </a>
          </div>
        </div>
      </form>

      <div className="flex min-h-5 flex-wrap items-center justify-between gap-3 text-sm text-zinc-600">
        {/* Emptied while loading so the same count is announced again after new filters. */}
        <p aria-live="polite" aria-atomic="true">
          {summary}
        </p>
        {loading ? <p>Loading…</p> : <p className="text-xs">Exports hold every matching event, not just this page.</p>}
      </div>

      <ErrorAlert message={error} />

      <div ref={resultsRef} tabIndex={-1}>
        <AuditEventsTable
          events={events}
          busy={loading}
          caption={caption}
          empty={filtered ? "No events match these filters." : "No events yet."}
        />
      </div>

      <CursorPager
        label="Audit log pages"
        url={url}
        nextCursor={feed?.nextCursor}
        loading={loading}
        pagedWith={pagedWith}
        previousRef={previousRef}
        nextRef={nextRef}
      />
    </div>
  );
}
