"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { createContext, type MouseEvent, type ReactNode, use, useState } from "react";
import { type Theme, themeCookie } from "@/lib/theme/theme";

type ThemeState = { theme: Theme; choose: (theme: Theme) => void };

const ThemeContext = createContext<ThemeState>({ theme: "system", choose: () => {} });

/**
 * Holds the choice for the whole app: the root layout reads the cookie and passes it in, and it
 * lives above every page, so a toggle on the next page shows what was chosen on this one.
 */
export function ThemeProvider({ initial, children }: { initial: Theme; children: ReactNode }) {
  const [theme, setTheme] = useState(initial);
  function choose(next: Theme) {
    const root = document.documentElement;
    if (next === "system") delete root.dataset.theme;
    else root.dataset.theme = next;
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from Firefox; this cookie is no credential.
    document.cookie = themeCookie(next, window.location.protocol === "https:");
    setTheme(next);
  }
  return <ThemeContext value={{ theme, choose }}>{children}</ThemeContext>;
}

const OPTIONS: { value: Theme; label: string; icon: ReactNode }[] = [
  {
    value: "system",
    label: "System",
    icon: (
      <>
        <rect x="2.5" y="3.5" width="15" height="10" rx="1.5" />
        <path d="M7 17h6M10 13.5V17" />
      </>
    ),
  },
  {
    value: "light",
    label: "Light",
    icon: (
      <>
        <circle cx="10" cy="10" r="3.25" />
        <path d="M10 2.5v1.5M10 16v1.5M2.5 10H4M16 10h1.5M4.7 4.7l1.06 1.06M14.24 14.24l1.06 1.06M4.7 15.3l1.06-1.06M14.24 5.76l1.06-1.06" />
      </>
    ),
  },
  {
    value: "dark",
    label: "Dark",
    icon: <path d="M16.5 12.2A6.75 6.75 0 0 1 7.8 3.5a6.75 6.75 0 1 0 8.7 8.7Z" />,
  },
];

const ReturnPathContext = createContext<string | null>(null);

/**
 * The public address of a prerendered page (app/prerendered): built under its internal path and
 * served at this one, so neither the router's pathname at build time nor a query (it has none)
 * says where the toggle's post should come back to.
 */
export function PrerenderedPath({ path, children }: { path: string; children: ReactNode }) {
  return <ReturnPathContext value={path}>{children}</ReturnPathContext>;
}

/**
 * System, Light or Dark. A plain form, so it works before (or without) JavaScript: the post sets
 * the cookie and comes back to this page. With JavaScript the choice applies at once.
 */
export function ThemeToggle({ className = "" }: { className?: string }) {
  const fixed = use(ReturnPathContext);
  return fixed === null ? <CurrentPageThemeForm className={className} /> : <ThemeForm className={className} returnTo={fixed} />;
}

function CurrentPageThemeForm({ className }: { className: string }) {
  const pathname = usePathname() ?? "/";
  const query = useSearchParams()?.toString() ?? "";
  return <ThemeForm className={className} returnTo={query ? `${pathname}?${query}` : pathname} />;
}

function ThemeForm({ className, returnTo }: { className: string; returnTo: string }) {
  const { theme, choose } = use(ThemeContext);

  function onClick(event: MouseEvent<HTMLButtonElement>) {
    event.preventDefault();
    choose(event.currentTarget.value as Theme);
  }

  return (
    <form method="post" action="/api/theme" className={className}>
      <input type="hidden" name="next" value={returnTo} />
      <fieldset className="inline-flex rounded-md border border-zinc-200 bg-white p-0.5 shadow-sm">
        <legend className="sr-only">Theme</legend>
        {OPTIONS.map((option) => {
          const pressed = option.value === theme;
          return (
            <button
              key={option.value}
              type="submit"
              name="theme"
              value={option.value}
              aria-pressed={pressed}
              title={`${option.label} theme`}
              onClick={onClick}
              className={[
                "grid size-7 place-items-center rounded transition-colors",
                pressed ? "bg-zinc-100 text-zinc-900" : "text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900",
              ].join(" ")}
            >
              <svg
                aria-hidden="true"
                viewBox="0 0 20 20"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.6"
                strokeLinecap="round"
                strokeLinejoin="round"
                className="size-4"
              >
                {option.icon}
              </svg>
              <span className="sr-only">{option.label}</span>
            </button>
          );
        })}
      </fieldset>
    </form>
  );
}
