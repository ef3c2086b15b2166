"use client";

import Link from "next/link";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { useStepUp } from "@/components/account/step-up-dialog";
import { Badge, RoleBadge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { StatusMessage } from "@/components/ui/messages";
import { apiFetch } from "@/lib/client/api-fetch";
import { AuditEventsTable } from "./audit-events-table";
import { USERS_LIST_KEY } from "./list-url";
import { LocalTime } from "./local-time";
import type { AdminUser, AdminUserDetail } from "./types";
import { UserActions } from "./user-actions";
import { UserFactors } from "./user-factors";
import { UserSessions } from "./user-sessions";

/** Back to the users list as it was left (search, filters, page), or its first page. */
function BackToUsers() {
  const [href, setHref] = useState("/admin");
  useEffect(() => {
    try {
      const search = window.sessionStorage.getItem(USERS_LIST_KEY);
      if (search) setHref(`/admin?${search}`);
    } catch {
      // No storage: the first page.
    }
  }, []);
  return (
    <Link href={href} className="text-sm font-medium text-zinc-600 underline-offset-4 hover:text-zinc-900 hover:underline">
      <span aria-hidden="true">← </span>All users
    </Link>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5 sm:grid-cols-[8rem_minmax(0,1fr)] sm:gap-6">
      <dt className="text-zinc-600">{label}</dt>
      <dd className="min-w-0 text-zinc-900">{children}</dd>
    </div>
  );
}

function Profile({ user }: { user: AdminUser }) {
  return (
    <Card title="Profile">
      <dl className="space-y-3 text-sm">
        <Field label="Username">
          <span className="break-all">{user.username}</span>
        </Field>
        <Field label="Email">
          {user.email ? (
            <span className="flex flex-wrap items-center gap-2">
              <span className="break-all">{user.email}</span>
              {user.emailVerified ? <Badge tone="green">Confirmed</Badge> : <Badge tone="amber">Not confirmed</Badge>}
            </span>
          ) : (
            <span className="text-zinc-600">None</span>
          )}
        </Field>
        <Field label="Role">
          <RoleBadge role={user.role} />
        </Field>
        <Field label="Status">{user.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>}</Field>
        <Field label="Created">
          <LocalTime iso={user.createdAt} />
        </Field>
        <Field label="Last seen">
          {user.lastSeenAt ? <LocalTime iso={user.lastSeenAt} relative /> : <span className="text-zinc-600">Never</span>}
        </Field>
      </dl>
    </Card>
  );
}

export function UserDetail({ initial, viewerId }: { initial: AdminUserDetail; viewerId: string }) {
  const [detail, setDetail] = useState(initial);
  const [gone, setGone] = useState<"deleted" | "missing" | null>(null);
  const stepUp = useStepUp();
  const goneRef = useRef<HTMLDivElement>(null);
  const { user } = detail;
  const isSelf = user.id === viewerId;

  const reload = useCallback(async () => {
    try {
      const res = await apiFetch(`/api/admin/users/${encodeURIComponent(initial.user.id)}`);
      if (res.status === 404) return setGone((g) => g ?? "missing");
      if (res.ok) setDetail((await res.json()) as AdminUserDetail);
    } catch {
      // The page keeps what it shows; the next action or a reload tries again.
    }
  }, [initial.user.id]);

  const changed = useCallback(
    (updated?: AdminUser) => {
      if (updated) setDetail((d) => ({ ...d, user: { ...d.user, ...updated } }));
      void reload();
    },
    [reload],
  );

  useEffect(() => {
    if (gone) goneRef.current?.focus();
  }, [gone]);

  if (gone) {
    return (
      <div ref={goneRef} tabIndex={-1} className="space-y-4">
        <StatusMessage message={gone === "deleted" ? `Deleted ${user.username}.` : `${user.username} no longer exists.`} />
        <Link href="/admin" className={buttonClasses("secondary")}>
          Back to all users
        </Link>
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <BackToUsers />
        <header className="flex flex-wrap items-center gap-x-3 gap-y-2">
          <h1 className="min-w-0 text-2xl font-semibold tracking-tight break-all text-zinc-900">{user.username}</h1>
          <div className="flex flex-wrap gap-2">
            <RoleBadge role={user.role} />
            {user.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>}
            {isSelf ? <Badge tone="indigo">You</Badge> : null}
          </div>
        </header>
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <Profile user={user} />
          <UserSessions user={user} sessions={detail.sessions} run={stepUp.run} onChanged={changed} />
          <UserFactors user={user} factors={detail.secondFactors} isSelf={isSelf} run={stepUp.run} onChanged={changed} />
        </div>
        <div className="min-w-0">
          <UserActions user={user} isSelf={isSelf} run={stepUp.run} onChanged={changed} onDeleted={() => setGone("deleted")} />
        </div>
      </div>

      <Card
        title="Recent activity"
        description="The latest events about this account or done by it."
        actions={
          <Link href={`/admin/audit?user=${encodeURIComponent(user.id)}`} className={buttonClasses("secondary", "sm")}>
            Open in the audit log
          </Link>
        }
      >
        <AuditEventsTable events={detail.events} caption={`Recent audit events of ${user.username}, newest first`} empty="No events yet." />
      </Card>
      {stepUp.dialog}
    </div>
  );
}
