import type { ReactNode } from "react";
import { Brand } from "./brand";

type StatusPageProps = {
  /** A short label such as "403" or "Error". */
  eyebrow: string;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
};

/** Full-page message for 403, 404 and errors: no stack traces, only what the person can do next. */
export function StatusPage({ eyebrow, title, children, actions }: StatusPageProps) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex h-14 max-w-5xl items-center px-4 sm:px-6">
          <Brand />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="flex flex-1 items-center justify-center px-4 py-16">
        <div className="w-full max-w-md text-center">
          <p className="text-sm font-semibold text-indigo-700">{eyebrow}</p>
          <h1 className="mt-2 text-2xl font-semibold tracking-tight text-balance text-zinc-900">{title}</h1>
          {children ? <div className="mt-3 text-sm text-zinc-600">{children}</div> : null}
          {actions ? <div className="mt-6 flex flex-wrap justify-center gap-3">{actions}</div> : null}
        </div>
      </main>
    </div>
  );
}
