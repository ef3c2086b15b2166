"use client";
// The users list's search box and filters. The box searches as the admin types, once per pause
// (no request per keystroke); Enter searches at once and Escape clears. Everything applied lives
// in the URL, so the box follows it when Back or a link changes it.
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import type { ListUrl } from "./list-url";

// Long enough that a steady typist sends one request per pause, short enough to feel live.
const SEARCH_DELAY_MS = 250;

export const ROLES = { user: "Users", admin: "Admins" } as const;
export const STATUSES = { active: "Active", disabled: "Disabled" } as const;
export const SORTS = { created: "Newest", username: "Username", last_seen: "Last seen" } as const;

export type UserFilters = { q: string; role: keyof typeof ROLES | ""; status: keyof typeof STATUSES | ""; sort: keyof typeof SORTS };

/** A value from the URL, if it is one the API accepts; anything else is ignored rather than refused. */
function known<T extends object>(choices: T, value: string | null): keyof T | "" {
  return value !== null && Object.hasOwn(choices, value) ? (value as keyof T) : "";
}

export function readUserFilters(params: URLSearchParams): UserFilters {
  return {
    q: params.get("q")?.trim() ?? "",
    role: known(ROLES, params.get("role")),
    status: known(STATUSES, params.get("status")),
    sort: known(SORTS, params.get("sort")) || "created",
  };
}

const SELECT = "mt-1.5 block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm shadow-sm";

export function UsersFilters({ filters, applyFilters }: { filters: UserFilters; applyFilters: ListUrl["applyFilters"] }) {
  const { q, role, status, sort } = filters;
  const [input, setInput] = useState(q);
  const typed = useRef(false);
  const leaving = useRef(false);
  const searchId = useId();
  const hintId = useId();
  const roleId = useId();
  const statusId = useId();
  const sortId = useId();

  // The search this box applied last, until the URL shows it: what was typed meanwhile stays.
  const applied = useRef<string | null>(null);
  const applySearch = (value: string, mode?: "replace") => {
    applied.current = value.trim();
    applyFilters({ q: value }, mode);
  };

  // The URL changed under the box (Back, a link): show what is applied. When the change is the
  // box's own search arriving, the box keeps what has been typed since (after Escape, say, the
  // first letters of the next search).
  // Its own search is never written back into the box: a state update queued now would land after
  // letters typed meanwhile, and wipe them.
  useEffect(() => {
    const own = applied.current === q;
    applied.current = null;
    if (own) return;
    typed.current = false;
    setInput((current) => (current.trim() === q ? current : q));
  }, [q]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: applySearch only wraps applyFilters.
  useEffect(() => {
    if (!typed.current || input.trim() === q) return;
    const timer = setTimeout(() => {
      // Not again while the same search is on its way: arriving late, a second copy would
      // replace whatever page the person moved to meanwhile.
      if (!leaving.current && applied.current !== input.trim()) applySearch(input, "replace");
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [input, q, applyFilters]);

  // A link followed while a search is pending: writing the URL after the click would cancel the
  // navigation it started (Next.js follows History API changes).
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (event.target instanceof Element && event.target.closest("a[href]")) leaving.current = true;
    };
    document.addEventListener("click", onClick, true);
    return () => document.removeEventListener("click", onClick, true);
  }, []);

  function searchNow() {
    typed.current = false;
    applySearch(input);
  }

  function onSearchKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter") {
      event.preventDefault();
      searchNow();
    } else if (event.key === "Escape" && (input !== "" || q !== "")) {
      // Handled here rather than by the browser's own clearing of a search field, so it applies at once.
      event.preventDefault();
      typed.current = false;
      setInput("");
      applySearch("");
    }
  }

  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is too new for some screen readers; role="search" is read everywhere.
    <form
      role="search"
      aria-label="Find users"
      onSubmit={(e) => {
        e.preventDefault();
        searchNow();
      }}
      className="grid grid-cols-2 gap-3 lg:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))]"
    >
      <div className="col-span-2 lg:col-span-1">
        <label htmlFor={searchId} className="block text-sm font-medium text-zinc-900">
          Search users
        </label>
        <input
          id={searchId}
          type="search"
          value={input}
          onChange={(e) => {
            typed.current = true;
            leaving.current = false;
            setInput(e.currentTarget.value);
          }}
          onKeyDown={onSearchKey}
          placeholder="Username or email"
          aria-describedby={hintId}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          className={`${SELECT} placeholder:text-zinc-400`}
        />
        <p id={hintId} className="mt-1.5 text-xs text-zinc-600">
          The start of a username or email. Enter searches at once, Escape clears.
        </p>
      </div>
      <div>
        <label htmlFor={roleId} className="block text-sm font-medium text-zinc-900">
          Role
        </label>
        <select id={roleId} value={role} onChange={(e) => applyFilters({ role: e.currentTarget.value })} className={SELECT}>
          <option value="">All roles</option>
          {Object.entries(ROLES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={statusId} className="block text-sm font-medium text-zinc-900">
          Status
        </label>
        <select id={statusId} value={status} onChange={(e) => applyFilters({ status: e.currentTarget.value })} className={SELECT}>
          <option value="">Any status</option>
          {Object.entries(STATUSES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="col-span-2 sm:col-span-1">
        <label htmlFor={sortId} className="block text-sm font-medium text-zinc-900">
          Sort by
        </label>
        <select
          id={sortId}
          value={sort}
          onChange={(e) => applyFilters({ sort: e.currentTarget.value === "created" ? "" : e.currentTarget.value })}
          className={SELECT}
        >
          {Object.entries(SORTS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
