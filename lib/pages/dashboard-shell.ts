// The dashboard's data, and its prerendered shells (docs/decisions/0023-dashboard-shell.md).
// Everything the page shows of the person is in DashboardData. What decides the page's structure
// (admin or not, an email or not, where the session came from) picks one of a few shells, built
// per theme; the rest are slots the fill gives the person's values. Isomorphic.

import { formatDateUtc, formatUtcDateTime } from "@/lib/client/format";
import type { Viewer } from "@/lib/dal";
import type { CurrentSessionDto } from "@/lib/use-cases/account/current-session";
import type { FillValues } from "./fill";
import { numberSlot, slot } from "./slots";

export type SessionFacts = {
  /** ISO time the session began. */
  startedAt: string;
  /** The device (and address) it began from. */
  from: string;
  /** Where it is used from now, when that differs. */
  now: string | null;
};

export type DashboardData = {
  user: { username: string; email: string | null; role: "user" | "admin"; createdAt: Date | string };
  session: SessionFacts | null;
  accessExpiresAt: number;
};

function place(from: { address: string | null; device: string }): string {
  return from.address ? `${from.device}, ${from.address}` : from.device;
}

export function dashboardData(viewer: Pick<Viewer, "user" | "accessExpiresAt">, session: CurrentSessionDto | null): DashboardData {
  const { username, email, role, createdAt } = viewer.user;
  let facts: SessionFacts | null = null;
  if (session) {
    const { startedFrom, lastUsedFrom } = session;
    const moved = startedFrom && (startedFrom.address !== lastUsedFrom.address || startedFrom.device !== lastUsedFrom.device);
    facts = { startedAt: session.startedAt, from: place(startedFrom ?? lastUsedFrom), now: moved ? place(lastUsedFrom) : null };
  }
  return { user: { username, email, role, createdAt }, session: facts, accessExpiresAt: viewer.accessExpiresAt };
}

const ROLES = ["user", "admin"] as const;
const EMAIL = ["email", "no-email"] as const;
const FACTS = ["same", "moved", "none"] as const;

/** The shells' names: one per page structure ("admin-email-moved"). */
export const DASHBOARD_VARIANTS: string[] = ROLES.flatMap((role) =>
  EMAIL.flatMap((email) => FACTS.map((facts) => `${role}-${email}-${facts}`)),
);

export function dashboardVariant(data: DashboardData): string {
  const facts = data.session === null ? "none" : data.session.now === null ? "same" : "moved";
  return `${data.user.role}-${data.user.email === null ? "no-email" : "email"}-${facts}`;
}

const EXPIRES = numberSlot(1);

/** The shell's data: slots where the values go, in the structure `variant` names. */
export function dashboardShellData(variant: string): DashboardData {
  const match = /^(user|admin)-(email|no-email)-(same|moved|none)$/.exec(variant);
  if (!match) throw new Error(`no dashboard shell ${variant}`);
  const [, role, email, facts] = match as unknown as [string, "user" | "admin", string, string];
  return {
    user: { username: slot("username"), email: email === "email" ? slot("email") : null, role, createdAt: slot("createdAt") },
    session: facts === "none" ? null : { startedAt: slot("startedAt"), from: slot("from"), now: facts === "moved" ? slot("now") : null },
    accessExpiresAt: EXPIRES,
  };
}

/** The values for a shell of dashboardVariant(data), including those derived on the server (dates as displayed). */
export function dashboardFillValues(data: DashboardData): FillValues {
  const text: Record<string, string> = {
    username: data.user.username,
    createdAt: new Date(data.user.createdAt).toISOString(),
    "createdAt:date": formatDateUtc(data.user.createdAt),
  };
  if (data.user.email !== null) text.email = data.user.email;
  if (data.session) {
    text.startedAt = data.session.startedAt;
    text["startedAt:utc"] = formatUtcDateTime(data.session.startedAt);
    text.from = data.session.from;
    if (data.session.now !== null) text.now = data.session.now;
  }
  return { text, numbers: { [EXPIRES]: data.accessExpiresAt } };
}
