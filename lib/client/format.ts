// Pure formatting helpers; safe in server and client components.
import { derivedSlot } from "@/lib/pages/slots";

export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} second${s === 1 ? "" : "s"}`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 minutes ago", "in 4 minutes", "just now". */
export function formatRelative(date: Date | string | number, now: number = Date.now()): string {
  const at = new Date(date).getTime();
  if (Number.isNaN(at)) return "unknown";
  const diffSeconds = Math.round((at - now) / 1000);
  if (Math.abs(diffSeconds) < 45) return diffSeconds > 0 ? "in a few seconds" : "just now";
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(diffSeconds) >= size) return rtf.format(Math.round(diffSeconds / size), unit);
  }
  return rtf.format(Math.round(diffSeconds / 60), "minute");
}

/** Local date and time, for lists rendered in the browser only (server output would use the server's zone). */
export function formatDateTime(date: Date | string | number): string {
  const d = new Date(date);
  if (Number.isNaN(d.getTime())) return "unknown";
  return new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }).format(d);
}

/** A calendar date fixed to UTC, so server and browser render the same text. */
export function formatDateUtc(date: Date | string | number): string {
  // In a prerendered shell (ADR 0023), the date is a slot, and so is what is shown of it.
  const derived = derivedSlot(date, "date");
  if (derived) return derived;
  const d = new Date(date);
  if (Number.isNaN(d.getTime())) return "unknown";
  return new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" }).format(d);
}

const UTC_DATE_TIME = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "Dec 1, 2026, 10:55 AM UTC": what the server renders of a time the browser shows in its own zone. */
export function formatUtcDateTime(iso: string): string {
  const derived = derivedSlot(iso, "utc");
  if (derived) return derived;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "unknown";
  return `${UTC_DATE_TIME.format(d)} UTC`;
}
