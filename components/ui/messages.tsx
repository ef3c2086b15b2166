// Live regions stay mounted and only their text changes: screen readers announce changes to a
// region that already exists far more reliably than a region that appears with its text. Empty,
// they are sr-only (still rendered, so still live) instead of an empty block that a parent's
// space-y would give phantom margins.

const ERROR_BOX = "rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm break-words text-red-800";
const WARNING_BOX = "rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm break-words text-amber-900";
const SUCCESS_BOX = "rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm break-words text-emerald-800";

type AlertProps = {
  message: string | null | undefined;
  /** A short bold line before the message, for an alert that asks the person to do something. */
  title?: string | null;
  /** "warning" for something to act on rather than a failure (an unconfirmed email address). */
  tone?: "error" | "warning";
  className?: string;
};

export function ErrorAlert({ message, title, tone = "error", className = "" }: AlertProps) {
  return (
    <div role="alert" className={message ? `${tone === "warning" ? WARNING_BOX : ERROR_BOX} ${className}` : "sr-only"}>
      {message && title ? (
        <>
          <p className="font-semibold">{title}</p>
          <p className="mt-0.5">{message}</p>
        </>
      ) : (
        (message ?? null)
      )}
    </div>
  );
}

export function StatusMessage({ message, className = "" }: { message: string | null | undefined; className?: string }) {
  return (
    <div role="status" className={message ? `${SUCCESS_BOX} ${className}` : "sr-only"}>
      {message ?? null}
    </div>
  );
}
