import type { ReactNode } from "react";
import { Brand } from "@/components/ui/brand";

/** The centred card that frames the sign-in and sign-up pages. */
export function AuthShell({
  title,
  description,
  children,
  footer,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="flex min-h-dvh flex-col items-center px-4 py-10 sm:py-16">
      <Brand />
      <main id="main" tabIndex={-1} className="mt-8 w-full max-w-sm">
        <div className="rounded-lg border border-zinc-200 bg-white px-6 py-7 shadow-sm">
          <h1 className="text-xl font-semibold tracking-tight text-zinc-900">{title}</h1>
          {description ? <div className="mt-1 text-sm text-zinc-600">{description}</div> : null}
          <div className="mt-6">{children}</div>
        </div>
        {footer ? <div className="mt-6 text-center text-sm text-zinc-600">{footer}</div> : null}
      </main>
    </div>
  );
}
