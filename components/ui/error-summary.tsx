"use client";
// GOV.UK's error summary: a titled box at the top of the form listing every problem, each a link
// to its field. It takes focus when a submit fails (components/ui/use-api-form.ts), so a screen
// reader reads the whole list at once; without JavaScript, `autoFocus` does the same on the
// re-rendered page. No role="alert": focus already announces it, and an alert would repeat it.
import { forwardRef, type MouseEvent, useId } from "react";
import type { FieldErrors } from "./use-api-form";

type Props = {
  /** Field errors, listed in the order of `fieldIds` (the order of the fields on the page). */
  errors: FieldErrors;
  /** Each field's input id, so a link can point at it. */
  fieldIds: Record<string, string>;
  /** A problem that belongs to no field (wrong credentials, too many attempts, offline). */
  message?: string | null;
  title?: string;
  /**
   * Rendered from a form post without JavaScript: shown for any problem, and focused by the
   * browser on load. Otherwise a single field to fix shows no summary: focus goes to the field,
   * whose inline message is read with it, and the box would only repeat that message.
   */
  autoFocus?: boolean;
};

/** GOV.UK moves focus to the input itself and scrolls its label into view, not just to the fragment. */
function focusField(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const input = document.getElementById(id);
  if (!input) return;
  event.preventDefault();
  const label = document.querySelector(`label[for="${CSS.escape(id)}"]`);
  input.focus({ preventScroll: true });
  (label ?? input).scrollIntoView({ block: "start" });
}

export const ErrorSummary = forwardRef<HTMLElement, Props>(function ErrorSummary(
  { errors, fieldIds, message, title = "There is a problem", autoFocus },
  ref,
) {
  const titleId = useId();
  const items = Object.keys(fieldIds).flatMap((field) => (errors[field] ?? []).map((text) => ({ field, text })));
  const fieldsInError = new Set(items.map((i) => i.field)).size;
  if (!message && (fieldsInError === 0 || (fieldsInError === 1 && !autoFocus))) return null;
  return (
    <section
      ref={ref}
      tabIndex={-1}
      aria-labelledby={titleId}
      // biome-ignore lint/a11y/noAutofocus: GOV.UK's pattern: after a failed post the summary is where the person must start.
      autoFocus={autoFocus}
      data-error-summary=""
      className="rounded-md border-2 border-red-600 bg-white px-4 py-3 text-sm outline-offset-2 focus-visible:outline-3 focus-visible:outline-red-600"
    >
      <h2 id={titleId} className="text-base font-semibold text-zinc-900">
        {title}
      </h2>
      {message ? <p className="mt-1 break-words text-zinc-800">{message}</p> : null}
      {items.length > 0 ? (
        <ul className="mt-2 list-none space-y-1">
          {items.map(({ field, text }) => {
            const id = fieldIds[field] ?? field;
            return (
              <li key={`${field}:${text}`}>
                <a
                  href={`#${id}`}
                  onClick={(e) => focusField(e, id)}
                  className="font-medium break-words text-red-700 underline underline-offset-2 hover:text-red-800 hover:decoration-2"
                >
                  {text}
                </a>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
});
