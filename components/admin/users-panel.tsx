"use client";

import { useEffect, useRef, useState } from "react";
import { useStepUp } from "@/components/account/step-up-dialog";
import { Button } from "@/components/ui/button";
import { ErrorAlert, StatusMessage } from "@/components/ui/messages";
import { describeApiError, NETWORK_ERROR_MESSAGE, readApiError } from "@/lib/client/api-error";
import { apiFetch } from "@/lib/client/api-fetch";
import { adminSend, userPath } from "./admin-request";
import { CursorPager } from "./cursor-pager";
import { DeleteUserDialog } from "./delete-user-dialog";
import { InviteUser } from "./invite-user";
import { USERS_LIST_KEY, useListUrl } from "./list-url";
import { RBody, REmptyRow, RHead, RTable, TABLE_BOX } from "./responsive-table";
import type { AdminUser, Notice } from "./types";
import { UserRow } from "./user-row";
import { ROLES, readUserFilters, SORTS, STATUSES, UsersFilters } from "./users-filters";

const PAGE_SIZE = 20;
const FILTERS = ["q", "role", "status", "sort"] as const;
const COLUMNS = [
  { name: "User" },
  { name: "Role" },
  { name: "Status" },
  { name: "Sessions", className: "lg:text-right" },
  { name: "Last seen" },
  { name: "Actions", className: "lg:text-right" },
];

type Page = { users: AdminUser[]; nextCursor: string | null };

export function UsersPanel({ viewerId }: { viewerId: string }) {
  const url = useListUrl(FILTERS);
  const { applyFilters } = url;
  const filters = readUserFilters(url.params);
  const { q, role, status, sort } = filters;
  const filtered = Boolean(q || role || status);

  const [page, setPage] = useState<Page | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [reloads, setReloads] = useState(0);
  const [deleting, setDeleting] = useState<AdminUser | null>(null);
  // One "Confirm it's you" dialog for every row's sensitive actions.
  const stepUp = useStepUp();
  const resultsRef = useRef<HTMLTableElement>(null);
  const previousRef = useRef<HTMLButtonElement>(null);
  const nextRef = useRef<HTMLButtonElement>(null);
  // The paging button pressed last: it may be disabled on the new page, and focus must not drop to <body>.
  const pagedWith = useRef<"next" | "previous" | null>(null);
  const refocusResults = useRef(false);

  const apiQuery = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (q) apiQuery.set("q", q);
  if (role) apiQuery.set("role", role);
  if (status) apiQuery.set("status", status);
  if (sort !== "created") apiQuery.set("sort", sort);
  if (url.cursor) apiQuery.set("cursor", url.cursor);
  const apiSearch = apiQuery.toString();

  useEffect(() => {
    try {
      window.sessionStorage.setItem(USERS_LIST_KEY, url.search);
    } catch {
      // The detail page's way back then leads to the first page.
    }
  }, [url.search]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reloads` is the reload trigger; bumping it must fetch again.
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    apiFetch(`/api/admin/users?${apiSearch}`, { signal: controller.signal })
      .then(async (res) => {
        if (!res.ok) return setLoadError(describeApiError(await readApiError(res)));
        const loaded = (await res.json()) as Page;
        // The last row of a later page was deleted: step back instead of showing an empty page.
        if (loaded.users.length === 0 && url.previousCursor !== undefined) return url.goPrevious();
        setPage(loaded);
        setLoadError(null);
      })
      .catch(() => {
        if (!controller.signal.aborted) setLoadError(NETWORK_ERROR_MESSAGE);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [apiSearch, reloads]);

  useEffect(() => {
    if (loading || !pagedWith.current) return;
    const pressed = pagedWith.current === "next" ? nextRef.current : previousRef.current;
    const other = pagedWith.current === "next" ? previousRef.current : nextRef.current;
    pagedWith.current = null;
    if (pressed && !pressed.disabled) pressed.focus();
    else if (other && !other.disabled) other.focus();
    else resultsRef.current?.focus();
  }, [loading]);

  function updateUser(updated: AdminUser) {
    setPage((current) => current && { ...current, users: current.users.map((u) => (u.id === updated.id ? updated : u)) });
  }

  async function deleteUser(): Promise<string | null> {
    const target = deleting;
    if (!target) return null;
    const sent = await adminSend(stepUp.run, userPath(target.id), { method: "DELETE" });
    if (!sent.ok) {
      if (sent.error === null) return null;
      if (sent.error.status !== 404) return describeApiError(sent.error);
    }
    setDeleting(null);
    setNotice({ tone: "success", text: sent.ok ? `Deleted ${target.username}.` : `${target.username} no longer exists.` });
    setReloads((n) => n + 1);
    refocusResults.current = true;
    return null;
  }

  // After a delete the dialog hands focus back to the row's Delete button, which is going away:
  // continue from the list instead (this runs after the dialog's own effect has closed it).
  useEffect(() => {
    if (deleting || !refocusResults.current) return;
    refocusResults.current = false;
    resultsRef.current?.focus();
  }, [deleting]);

  const users = page?.users ?? [];
  const summary = loading
    ? ""
    : users.length > 0
      ? `${users.length} ${users.length === 1 ? "user" : "users"} on page ${url.pageNumber}${q ? ` matching “${q}”` : ""}`
      : filtered
        ? "No users match"
        : "No users yet";
  const empty = q ? `No users match “${q}”.` : filtered ? "No users match these filters." : "No users yet.";
  const description = [
    q ? `matching “${q}”` : "",
    role ? `role ${ROLES[role].toLowerCase()}` : "",
    status ? `status ${STATUSES[status].toLowerCase()}` : "",
    `sorted by ${SORTS[sort].toLowerCase()}`,
  ]
    .filter(Boolean)
    .join(", ");

  return (
    <div className="space-y-5">
      <InviteUser onCreated={() => setReloads((n) => n + 1)} />

      <UsersFilters filters={filters} applyFilters={applyFilters} />

      <div className="flex min-h-5 flex-wrap items-center justify-between gap-3 text-sm text-zinc-600">
        {/* Emptied while loading so the same count is announced again after a new search.
            min-w-0 break-words: a long search term must wrap on a phone, not widen the page. */}
        <p aria-live="polite" aria-atomic="true" className="min-w-0 break-words">
          {summary}
        </p>
        {loading ? <p>Loading…</p> : null}
        {filtered ? (
          <Button variant="ghost" size="sm" onClick={() => url.applyFilters({ q: "", role: "", status: "" })}>
            Clear filters
          </Button>
        ) : null}
      </div>

      <ErrorAlert message={notice?.tone === "error" ? notice.text : loadError} />
      <StatusMessage message={notice?.tone === "success" ? notice.text : null} />

      {/* relative: the buttons' sr-only labels are position: absolute and must stay inside this box. */}
      <div className={`relative ${TABLE_BOX}`}>
        {/* Focusable from script only: where focus goes when the row that had it is gone. */}
        <RTable ref={resultsRef} tabIndex={-1} aria-busy={loading}>
          <caption className="sr-only">
            Users {description}, page {url.pageNumber}
          </caption>
          <RHead columns={COLUMNS} />
          <RBody>
            {users.map((user) => (
              <UserRow
                key={user.id}
                user={user}
                isSelf={user.id === viewerId}
                onUpdated={updateUser}
                onRemoved={() => setReloads((n) => n + 1)}
                onNotice={setNotice}
                onRequestDelete={setDeleting}
                runStepUp={stepUp.run}
              />
            ))}
            {!loading && users.length === 0 ? <REmptyRow columns={COLUMNS.length}>{empty}</REmptyRow> : null}
          </RBody>
        </RTable>
      </div>

      <CursorPager
        label="Users pages"
        url={url}
        nextCursor={page?.nextCursor}
        loading={loading}
        pagedWith={pagedWith}
        previousRef={previousRef}
        nextRef={nextRef}
      />
      <DeleteUserDialog username={deleting?.username ?? null} onCancel={() => setDeleting(null)} onDelete={deleteUser} />
      {stepUp.dialog}
    </div>
  );
}
