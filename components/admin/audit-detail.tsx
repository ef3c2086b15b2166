"use client";
// An audit event's detail as short "label value" lines: the JSON keys the use cases write, named
// in words, ids shortened and copyable, times in the viewer's zone, codes without underscores.
import { Fragment, type ReactNode } from "react";
import { LocalTime } from "./local-time";
import { isLongId, ShortId } from "./short-id";

const LABELS: Record<string, string> = {
  sessionId: "Session",
  passkeyId: "Passkey",
  userId: "User",
  aaguid: "Authenticator",
  method: "Method",
  rule: "Rule",
  retryAfterSeconds: "Retry after",
  expiresAt: "Expires",
  mailed: "Emailed",
  sessionsEnded: "Sessions ended",
  left: "Codes left",
  throughSeq: "Through event",
};

/** "retryAfterSeconds" → "Retry after seconds"; "email_taken" → "email taken". */
function words(key: string): string {
  const spaced = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function Value({ name, value }: { name: string; value: unknown }): ReactNode {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return name === "retryAfterSeconds" ? `${value} s` : String(value);
  if (typeof value === "string") {
    if (isLongId(value)) return <ShortId id={value} label={LABELS[name] ?? words(name)} />;
    if (ISO_TIME.test(value)) return <LocalTime iso={value} />;
    return /^[a-z0-9_]+$/.test(value) ? value.replace(/_/g, " ") : value;
  }
  if (typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return "none";
    return entries.map(([key, inner], i) => (
      <span key={key}>
        {i > 0 ? ", " : null}
        {words(key).toLowerCase()} <Value name={key} value={inner} />
      </span>
    ));
  }
  return JSON.stringify(value);
}

/** The detail column of the audit log. */
export function AuditDetail({ detail }: { detail: unknown }) {
  if (detail === null || detail === undefined) return <>—</>;
  if (typeof detail !== "object" || Array.isArray(detail)) return <>{JSON.stringify(detail)}</>;
  const entries = Object.entries(detail);
  if (entries.length === 0) return <>—</>;
  return (
    <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-2 gap-y-0.5">
      {entries.map(([key, value]) => (
        <Fragment key={key}>
          <dt className="text-zinc-500">{LABELS[key] ?? words(key)}</dt>
          <dd className="min-w-0 break-words text-zinc-800">
            <Value name={key} value={value} />
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}
