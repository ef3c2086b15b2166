import type { ReactNode, Ref } from "react";
import { Brand } from "@/components/ui/brand";
import { ThemeToggle } from "@/components/ui/theme-toggle";

/**
 * The centred card that frames the sign-in, sign-up and emailed-link pages. Pages whose card
 * changes in place (a form replaced by its outcome) pass `headingRef` and move focus to the
 * heading, so keyboard and screen-reader users land on the new state.
 */
export function AuthShell({
  title,
  description,
  children,
  footer,
  headingRef,
}: {
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  return (
    <div className="flex min-h-dvh flex-col items-center px-4 py-10 sm:py-16">
      <Brand />
      <main id="main" tabIndex={-1} className="mt-8 w-full max-w-sm">
        <div className="rounded-lg border border-zinc-200 bg-white px-6 py-7 shadow-sm">
          <h1
            ref={headingRef}
            tabIndex={headingRef ? -1 : undefined}
            className="text-xl font-semibold tracking-tight text-balance text-zinc-900"
          >
            {title}
          </h1>
          {description ? <div className="mt-1 text-sm text-zinc-600">{description}</div> : null}
          {children ? <div className="mt-6">{children}</div> : null}
        </div>
        {footer ? <div className="mt-6 text-center text-sm text-zinc-600">{footer}</div> : null}
      </main>
      {/* After the form in reading and tab order: the task comes first, the preference after. */}
      <ThemeToggle className="mt-8" />
    </div>
  );
}
