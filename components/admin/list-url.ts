"use client";
// A list page whose filters and page live in the URL query (?q=&role=…&cursor=), so a reload, the
// Back button and a shared link all show the same page. The URL is written with the History API:
// Next.js keeps useSearchParams in step without re-rendering the server page, and the server's
// DAL check is not repeated for every keystroke.
//
// Cursors only go forward. The cursors that led to the current page (the "trail") are kept per
// URL in sessionStorage, so "Previous page" works after a reload or Back too; a shared link with a
// cursor starts a new trail whose previous page is the first.
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";

export type Trail = (string | null)[];

const STORE = "latchkey:cursor-trail:";

function isTrail(value: unknown): value is Trail {
  return Array.isArray(value) && value.length > 0 && value.every((c) => c === null || typeof c === "string");
}

function rememberedTrail(search: string, cursor: string | null): Trail {
  try {
    const stored: unknown = JSON.parse(window.sessionStorage.getItem(STORE + search) ?? "null");
    if (isTrail(stored) && stored[0] === null && stored.at(-1) === cursor) return stored;
  } catch {
    // Storage refused (private mode) or not ours: start a new trail.
  }
  return cursor ? [null, cursor] : [null];
}

function remember(search: string, trail: Trail): void {
  try {
    window.sessionStorage.setItem(STORE + search, JSON.stringify(trail));
  } catch {
    // Without storage, Previous after a reload goes to the first page.
  }
}

export type ListUrl = {
  params: URLSearchParams;
  /** The query string as it is now, without "?" (stable key for effects). */
  search: string;
  cursor: string | null;
  /** 1 for the first page. */
  pageNumber: number;
  /** Where "Previous page" goes: null for the first page, undefined when on it already. */
  previousCursor: string | null | undefined;
  /** Sets or clears filters (empty values are dropped) and returns to the first page. */
  applyFilters(changes: Record<string, string>, mode?: "push" | "replace"): void;
  goNext(cursor: string): void;
  goPrevious(): void;
};

function write(params: URLSearchParams, mode: "push" | "replace"): void {
  const search = params.toString();
  const url = search ? `${window.location.pathname}?${search}` : window.location.pathname;
  if (url === window.location.pathname + window.location.search) return;
  if (mode === "push") window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}

/** `order` lists the filter names in the order they appear in the URL (cursor always last). */
export function useListUrl(order: readonly string[]): ListUrl {
  const current = useSearchParams();
  const search = current?.toString() ?? "";
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const cursor = params.get("cursor") || null;
  const [trail, setTrail] = useState<Trail>(cursor ? [null, cursor] : [null]);
  const orderKey = order.join(",");

  useEffect(() => setTrail(rememberedTrail(search, cursor)), [search, cursor]);

  const build = useCallback(
    (changes: Record<string, string>, nextCursor: string | null): URLSearchParams => {
      const next = new URLSearchParams();
      for (const name of orderKey.split(",")) {
        const value = (changes[name] ?? params.get(name) ?? "").trim();
        if (value) next.set(name, value);
      }
      if (nextCursor) next.set("cursor", nextCursor);
      return next;
    },
    [orderKey, params],
  );

  const go = useCallback(
    (nextCursor: string | null, nextTrail: Trail) => {
      const next = build({}, nextCursor);
      remember(next.toString(), nextTrail);
      setTrail(nextTrail);
      write(next, "push");
    },
    [build],
  );

  const applyFilters = useCallback(
    (changes: Record<string, string>, mode: "push" | "replace" = "push") => {
      setTrail([null]);
      write(build(changes, null), mode);
    },
    [build],
  );
  const goNext = useCallback((nextCursor: string) => go(nextCursor, [...trail, nextCursor]), [go, trail]);
  const goPrevious = useCallback(() => {
    if (trail.length > 1) go(trail[trail.length - 2] ?? null, trail.slice(0, -1));
  }, [go, trail]);

  return {
    params,
    search,
    cursor,
    pageNumber: trail.length,
    previousCursor: trail.length > 1 ? (trail[trail.length - 2] ?? null) : undefined,
    applyFilters,
    goNext,
    goPrevious,
  };
}

/** Where the users list keeps its last query, for the detail page's way back. */
export const USERS_LIST_KEY = "latchkey:admin-users-list";
