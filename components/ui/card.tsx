import { type ReactNode, useId } from "react";

type CardProps = {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
  className?: string;
  /** An anchor for links to this section (`/account#security`). */
  id?: string;
};

/** A titled section; its heading labels the region for screen-reader navigation. */
export function Card({ title, description, actions, children, className = "", id }: CardProps) {
  const headingId = useId();
  return (
    <section id={id} aria-labelledby={headingId} className={`rounded-lg border border-zinc-200 bg-white shadow-sm ${className}`}>
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-100 px-5 py-4">
        <div className="min-w-0">
          <h2 id={headingId} className="text-base font-semibold text-zinc-900">
            {title}
          </h2>
          {description ? <div className="mt-1 text-sm text-zinc-600">{description}</div> : null}
        </div>
        {actions ? <div className="flex min-w-0 flex-wrap gap-2">{actions}</div> : null}
      </div>
      {children ? <div className="px-5 py-4">{children}</div> : null}
    </section>
  );
}
