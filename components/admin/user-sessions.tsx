"use client";

import { useState } from "react";
import type { StepUp } from "@/components/account/step-up-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { adminSend, userPath } from "./admin-request";
import { LocalTime } from "./local-time";
import { NoticeLines } from "./notice-lines";
import type { AdminSession, AdminUser } from "./types";
import { useNotice } from "./use-notice";

type Props = {
  user: AdminUser;
  sessions: AdminSession[];
  run: StepUp["run"];
  /** After a change: load the page's data again. */
  onChanged: () => void;
};

export function UserSessions({ user, sessions, run, onChanged }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const notice = useNotice();

  async function revoke(session: AdminSession) {
    setBusy(session.id);
    const sent = await adminSend(run, userPath(user.id, `/sessions/${encodeURIComponent(session.id)}`), { method: "DELETE" });
    setBusy(null);
    // 404: it had ended already, which is what was asked.
    if (sent.ok || sent.error?.status === 404) notice.success(`Ended the session on ${session.device}.`);
    else return notice.failed(sent, user.username);
    onChanged();
  }

  async function endAll() {
    setBusy("all");
    const sent = await adminSend(run, userPath(user.id, "/revoke-sessions"), { method: "POST" });
    setBusy(null);
    if (!sent.ok) return notice.failed(sent, user.username);
    notice.success(`Signed ${user.username} out of every session.`);
    onChanged();
  }

  const count = sessions.length;
  return (
    <Card
      title="Sessions"
      description={count === 0 ? "Not signed in anywhere." : `Signed in on ${count} ${count === 1 ? "device" : "devices"}.`}
      actions={
        count > 0 ? (
          <Button variant="secondary" size="sm" busy={busy === "all"} disabled={busy !== null} onClick={endAll}>
            End all sessions
          </Button>
        ) : null
      }
    >
      <NoticeLines notice={notice.notice} className="mb-3" />
      {count === 0 ? (
        <p className="text-sm text-zinc-600">No live sessions.</p>
      ) : (
        <ul className="divide-y divide-zinc-100">
          {sessions.map((session) => (
            <li key={session.id} className="flex flex-wrap items-start justify-between gap-3 py-3 first:pt-0 last:pb-0">
              <div className="min-w-0 text-sm">
                <p className="font-medium break-words text-zinc-900">{session.device}</p>
                <p className="mt-0.5 text-zinc-600">
                  Active <LocalTime iso={session.lastUsedAt} relative /> · signed in <LocalTime iso={session.createdAt} />
                </p>
                <p className="mt-0.5 font-mono text-xs break-all text-zinc-600">{session.address ?? "Address unknown"}</p>
                {session.impersonator ? (
                  <p className="mt-1">
                    <Badge tone="amber">Impersonated by {session.impersonator.username ?? "a deleted admin"}</Badge>
                  </p>
                ) : null}
              </div>
              <Button variant="secondary" size="sm" busy={busy === session.id} disabled={busy !== null} onClick={() => revoke(session)}>
                End session<span className="sr-only"> on {session.device}</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
