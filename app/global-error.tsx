"use client";
// Replaces the root layout when it fails, so it brings its own document and styles.
import "./globals.css";

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
        <main id="main" className="flex min-h-dvh items-center justify-center px-4">
          <div className="w-full max-w-md text-center">
            <p className="text-sm font-semibold text-indigo-700">Latchkey</p>
            <h1 className="mt-2 text-2xl font-semibold tracking-tight text-zinc-900">Something went wrong</h1>
            <p className="mt-3 text-sm text-zinc-600">The page could not be shown. Try again in a moment.</p>
            {digest ? <p className="mt-3 font-mono text-xs text-zinc-500">Reference: {digest}</p> : null}
            <div className="mt-6 flex justify-center gap-3">
              <button
                type="button"
                onClick={() => retry()}
                className="inline-flex h-10 items-center rounded-md bg-zinc-900 px-4 text-sm font-medium text-white hover:bg-zinc-700"
              >
                Try again
              </button>
              {/* A plain link: the router may be what failed. */}
              <a
                href="/"
                className="inline-flex h-10 items-center rounded-md border border-zinc-300 bg-white px-4 text-sm font-medium text-zinc-900 hover:bg-zinc-50"
              >
                Home
              </a>
            </div>
          </div>
        </main>
      </body>
    </html>
  );
}
