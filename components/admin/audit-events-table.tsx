"use client";

import Link from "next/link";
import { AuditDetail } from "./audit-detail";
import { LocalTime } from "./local-time";
import { CARD_LABEL, RBody, RCell, REmptyRow, RHead, RRow, RRowHeader, RTable, TABLE_BOX } from "./responsive-table";
import type { AuditEvent } from "./types";

const COLUMNS = ["Time", "Event", "User", "By", "Address", "Details"].map((name) => ({ name }));

/** Most events are done by the account itself; name the actor only when someone else acted. */
export function actorLabel(event: AuditEvent): string {
  if (!event.actor) return "—";
  if (event.actor.id === event.user?.id) return "self";
  return event.actor.username ?? "(deleted account)";
}

function Account({ account, subject }: { account: AuditEvent["user"]; subject?: string | null }) {
  if (account?.username) {
    return (
      <Link
        href={`/admin/users/${encodeURIComponent(account.id)}`}
        className="break-all text-zinc-900 underline decoration-zinc-300 underline-offset-4 hover:decoration-zinc-900"
      >
        {account.username}
      </Link>
    );
  }
  if (account) return <span className="text-zinc-600">(deleted account)</span>;
  if (subject) return <span className="break-all text-zinc-600">{subject} (no account)</span>;
  return <>—</>;
}

type Props = {
  events: AuditEvent[];
  caption: string;
  busy?: boolean;
  /** Shown as the only row when there are no events. */
  empty: string;
};

/** Audit events, newest first: a table on wide screens, cards on phones. */
export function AuditEventsTable({ events, caption, busy = false, empty }: Props) {
  return (
    // relative: keeps sr-only text inside this box.
    <div className={`relative ${TABLE_BOX}`}>
      <RTable aria-busy={busy}>
        <caption className="sr-only">{caption}</caption>
        <RHead columns={COLUMNS} />
        <RBody>
          {events.map((event) => (
            // Baseline, not top: the mono and small-print cells would otherwise sit higher than the rest.
            <RRow key={event.id} className="lg:[&>*]:align-baseline">
              <RCell className="col-span-2 text-zinc-700 lg:whitespace-nowrap">
                <LocalTime iso={event.createdAt} />
              </RCell>
              <RRowHeader className="col-span-2">
                <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs break-all text-zinc-800">{event.type}</code>
              </RRowHeader>
              <RCell>
                <span aria-hidden="true" className={CARD_LABEL}>
                  User
                </span>
                <Account account={event.user} subject={event.subject} />
              </RCell>
              <RCell className="text-zinc-700">
                <span aria-hidden="true" className={CARD_LABEL}>
                  By
                </span>
                {event.actor && event.actor.id !== event.user?.id && event.actor.username ? (
                  <Account account={event.actor} />
                ) : (
                  actorLabel(event)
                )}
              </RCell>
              <RCell
                className="col-span-2 font-mono text-xs break-all text-zinc-700 lg:break-normal lg:whitespace-nowrap"
                title={event.userAgent ?? undefined}
              >
                <span aria-hidden="true" className={`${CARD_LABEL} font-sans`}>
                  Address
                </span>
                {event.address ?? "—"}
              </RCell>
              <RCell className="col-span-2 text-xs text-zinc-600 lg:min-w-56">
                <span aria-hidden="true" className={CARD_LABEL}>
                  Details
                </span>
                <AuditDetail detail={event.detail} />
              </RCell>
            </RRow>
          ))}
          {!busy && events.length === 0 ? <REmptyRow columns={COLUMNS.length}>{empty}</REmptyRow> : null}
        </RBody>
      </RTable>
    </div>
  );
}
