// Live regions stay mounted and only their text changes: screen readers announce changes to a
// region that already exists far more reliably than a region that appears with its text. Empty,
// they are sr-only (still rendered, so still live) instead of an empty block that a parent's
// space-y would give phantom margins.

const ERROR_BOX = "rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800";
const SUCCESS_BOX = "rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800";

export function ErrorAlert({ message, className = "" }: { message: string | null | undefined; className?: string }) {
  return (
    <div role="alert" className={message ? `${ERROR_BOX} ${className}` : "sr-only"}>
      {message ?? null}
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
