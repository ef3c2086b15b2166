"use client";
// Replaces the root layout when it fails, so it brings its own document and styles. It keeps the
// app's frame (header and content width) but uses plain links: the router may be what failed.
import "./globals.css";
import { KeyIcon } from "@/components/ui/brand";
import { buttonClasses } from "@/components/ui/button";

function digestOf(error: unknown): string | null {
  if (error && typeof error === "object" && "digest" in error && typeof error.digest === "string") return error.digest;
  return null;
}

export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = digestOf(error);
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <title>Something went wrong · Latchkey</title>
        <div className="flex min-h-dvh flex-col">
          <header className="border-b border-zinc-200 bg-white">
            <div className="mx-auto flex min-h-14 max-w-6xl items-center px-4 py-3 sm:px-6">
              <a href="/" className="inline-flex items-center gap-2 rounded-md text-base font-semibold tracking-tight text-zinc-900">
                <span className="grid size-7 place-items-center rounded-md bg-zinc-900 text-white">
                  <KeyIcon className="size-4" />
                </span>
                Latchkey
              </a>
            </div>
          </header>
          <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-12 sm:px-6 sm:py-20">
            <div className="max-w-xl">
              <p className="text-sm font-semibold text-indigo-700">Something went wrong</p>
              <h1 className="mt-2 text-2xl font-semibold tracking-tight text-balance text-zinc-900 sm:text-3xl">
                We couldn’t show this page
              </h1>
              <p className="mt-3 text-base text-zinc-600">This is usually temporary. Try again in a moment.</p>
              {digest ? <p className="mt-3 font-mono text-xs text-zinc-500">Reference: {digest}</p> : null}
              <div className="mt-8 flex flex-wrap gap-3">
                <button type="button" onClick={() => retry()} className={buttonClasses("primary")}>
                  Try again
                </button>
                <a href="/" className={buttonClasses("secondary")}>
                  Home
                </a>
              </div>
            </div>
          </main>
        </div>
      </body>
    </html>
  );
}
