"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useStepUp } from "@/components/account/step-up-dialog";
import { Button } from "@/components/ui/button";
import { ErrorAlert, StatusMessage } from "@/components/ui/messages";
import { describeApiError, NETWORK_ERROR_MESSAGE, readApiError } from "@/lib/client/api-error";
import { apiFetch } from "@/lib/client/api-fetch";
import type { AdminUser, Notice } from "./types";
import { UserRow } from "./user-row";

const PAGE_SIZE = 20;
const SEARCH_DELAY_MS = 300;

type Page = { users: AdminUser[]; nextCursor: string | null };

export function UsersPanel({ viewerId }: { viewerId: string }) {
  const [input, setInput] = useState("");
  const [query, setQuery] = useState("");
  // cursors[i] opens page i; the first page has none. Going back pops, so no server support is needed.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [reloads, setReloads] = useState(0);
  // One "Confirm it's you" dialog for every row's sensitive actions.
  const stepUp = useStepUp();
  const searchId = useId();
  const tableRef = useRef<HTMLDivElement>(null);
  // After Next/Previous the pressed button may become disabled; focus moves to the new rows.
  const focusTable = useRef(false);
  const cursor = cursors[cursors.length - 1] ?? null;

  useEffect(() => {
    const next = input.trim();
    if (next === query) return;
    const timer = setTimeout(() => {
      setQuery(next);
      setCursors([null]);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [input, query]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reloads` is the reload trigger; bumping it must fetch again.
  useEffect(() => {
    const controller = new AbortController();
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (query) params.set("q", query);
    if (cursor) params.set("cursor", cursor);
    setLoading(true);
    apiFetch(`/api/admin/users?${params}`, { signal: controller.signal })
      .then(async (res) => {
        if (!res.ok) return setLoadError(describeApiError(await readApiError(res)));
        const loaded = (await res.json()) as Page;
        // The last row of a later page was deleted: step back instead of showing an empty page.
        if (loaded.users.length === 0 && cursor !== null) return setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c));
        setPage(loaded);
        setLoadError(null);
      })
      .catch(() => {
        if (!controller.signal.aborted) setLoadError(NETWORK_ERROR_MESSAGE);
      })
      .finally(() => {
        if (controller.signal.aborted) return;
        setLoading(false);
        if (focusTable.current) tableRef.current?.focus();
        focusTable.current = false;
      });
    return () => controller.abort();
  }, [query, cursor, reloads]);

  function updateUser(updated: AdminUser) {
    setPage((current) => current && { ...current, users: current.users.map((u) => (u.id === updated.id ? updated : u)) });
  }

  const pageNumber = cursors.length;
  const users = page?.users ?? [];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="w-full max-w-xs">
          <label htmlFor={searchId} className="block text-sm font-medium text-zinc-900">
            Search users
          </label>
          <input
            id={searchId}
            type="search"
            value={input}
            onChange={(e) => setInput(e.currentTarget.value)}
            placeholder="Username or email"
            autoComplete="off"
            spellCheck={false}
            className="mt-1.5 block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm shadow-sm placeholder:text-zinc-400"
          />
        </div>
        <p className="text-sm text-zinc-600" aria-live="polite">
          {loading ? "Loading…" : `${users.length} ${users.length === 1 ? "user" : "users"} on page ${pageNumber}`}
        </p>
      </div>

      <ErrorAlert message={notice?.tone === "error" ? notice.text : loadError} />
      <StatusMessage message={notice?.tone === "success" ? notice.text : null} />

      {/* relative: the buttons' sr-only labels are position: absolute and would otherwise escape
          this scroll box and widen the whole page on a phone. */}
      <div ref={tableRef} tabIndex={-1} className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-sm">
        <table className="w-full min-w-[54rem] divide-y divide-zinc-200 text-sm" aria-busy={loading}>
          <caption className="sr-only">
            Users{query ? ` matching “${query}”` : ""}, page {pageNumber}
          </caption>
          <thead className="bg-zinc-50 text-left text-xs font-medium tracking-wide text-zinc-600 uppercase">
            <tr>
              <th scope="col" className="px-4 py-2.5">
                User
              </th>
              <th scope="col" className="px-4 py-2.5">
                Role
              </th>
              <th scope="col" className="px-4 py-2.5">
                Status
              </th>
              <th scope="col" className="px-4 py-2.5 text-right">
                Sessions
              </th>
              <th scope="col" className="px-4 py-2.5">
                Last seen
              </th>
              <th scope="col" className="px-4 py-2.5 text-right">
                Actions
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {users.map((user) => (
              <UserRow
                key={user.id}
                user={user}
                isSelf={user.id === viewerId}
                onUpdated={updateUser}
                onRemoved={() => setReloads((n) => n + 1)}
                onNotice={setNotice}
                runStepUp={stepUp.run}
              />
            ))}
            {!loading && users.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-4 py-10 text-center text-zinc-600">
                  {query ? `No users match “${query}”.` : "No users yet."}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>

      <nav aria-label="Users pages" className="flex items-center justify-between gap-3">
        <Button
          variant="secondary"
          size="sm"
          disabled={cursors.length <= 1}
          onClick={() => {
            if (loading) return;
            focusTable.current = true;
            setCursors((c) => c.slice(0, -1));
          }}
        >
          Previous page
        </Button>
        <Button
          variant="secondary"
          size="sm"
          disabled={!page?.nextCursor}
          onClick={() => {
            const next = page?.nextCursor;
            if (loading || !next) return;
            focusTable.current = true;
            setCursors((c) => [...c, next]);
          }}
        >
          Next page
        </Button>
      </nav>
      {stepUp.dialog}
    </div>
  );
}
