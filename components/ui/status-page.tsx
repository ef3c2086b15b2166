import Link from "next/link";
import type { ReactNode } from "react";
import { AppHeader, type HeaderViewer } from "./app-header";
import { Brand } from "./brand";
import { buttonClasses } from "./button";

type StatusPageProps = {
  /** A short label such as "403 · Forbidden". */
  eyebrow: string;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  /**
   * Who is looking, for the app's own header. Undefined when the page cannot know (the error
   * boundary renders in the browser): then the header shows the brand alone, in the same frame.
   */
  viewer?: HeaderViewer;
};

/** Full-page message for 403, 404 and errors: no stack traces, only what the person can do next. */
export function StatusPage({ eyebrow, title, children, actions, viewer }: StatusPageProps) {
  return (
    <div className="flex min-h-dvh flex-col">
      {viewer === undefined ? <BrandOnlyHeader /> : <AppHeader viewer={viewer} />}
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-12 sm:px-6 sm:py-20">
        <div className="max-w-xl">
          <p className="text-sm font-semibold text-indigo-700">{eyebrow}</p>
          <h1 className="mt-2 text-2xl font-semibold tracking-tight text-balance text-zinc-900 sm:text-3xl">{title}</h1>
          {/* break-words: a 32-character username is one long word, wider than a 320 px screen. */}
          {children ? <div className="mt-3 space-y-3 text-base break-words text-pretty text-zinc-600">{children}</div> : null}
          {actions ? <div className="mt-8 flex flex-wrap gap-3">{actions}</div> : null}
        </div>
      </main>
    </div>
  );
}

/** The app header's frame (width, padding, height) with only the brand in it. */
function BrandOnlyHeader() {
  return (
    <header className="border-b border-zinc-200 bg-white">
      <div className="mx-auto flex min-h-14 max-w-6xl items-center px-4 py-3 sm:px-6">
        <Brand />
      </div>
    </header>
  );
}

/** The next step for whoever is looking: their dashboard when signed in, else home and sign-in. */
export function NextStepLinks({ signedIn, next }: { signedIn: boolean; next?: string }) {
  if (signedIn) {
    return (
      <>
        <Link href="/dashboard" className={buttonClasses("primary")}>
          Go to your dashboard
        </Link>
        <Link href="/" className={buttonClasses("secondary")}>
          Home
        </Link>
      </>
    );
  }
  return (
    <>
      <Link href={next ? `/login?next=${encodeURIComponent(next)}` : "/login"} className={buttonClasses("primary")}>
        Sign in
      </Link>
      <Link href="/" className={buttonClasses("secondary")}>
        Home
      </Link>
    </>
  );
}
