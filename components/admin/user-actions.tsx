"use client";
// The detail page's actions on one account. Each has its own message line next to its button,
// and explains itself when it is not available (your own account, an admin, a disabled account).
import { type ReactNode, useEffect, useId, useState } from "react";
import type { StepUp } from "@/components/account/step-up-dialog";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { describeApiError } from "@/lib/client/api-error";
import { jsonRequest } from "@/lib/client/api-fetch";
import { adminSend, userPath } from "./admin-request";
import { CopyField } from "./copy-field";
import { DeleteUserDialog } from "./delete-user-dialog";
import { NoticeLines } from "./notice-lines";
import type { AdminUser } from "./types";
import { useNotice } from "./use-notice";

type ActionProps = {
  user: AdminUser;
  isSelf: boolean;
  run: StepUp["run"];
  /** After a change: the account as the server now has it, when the answer carried it. */
  onChanged: (user?: AdminUser) => void;
};

function Section({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="py-4 first:pt-0 last:pb-0">
      <h3 id={headingId} className="text-sm font-semibold text-zinc-900">
        {title}
      </h3>
      <div className="mt-2 space-y-3">{children}</div>
    </section>
  );
}

function Why({ children }: { children: ReactNode }) {
  // break-words: the text names the user, and a 32-character username is wider than a phone card.
  return <p className="text-sm break-words text-zinc-600">{children}</p>;
}

function RoleSection({ user, isSelf, run, onChanged }: ActionProps) {
  const [draft, setDraft] = useState(user.role);
  const [busy, setBusy] = useState(false);
  const notice = useNotice();
  const selectId = useId();
  useEffect(() => setDraft(user.role), [user.role]);

  async function save() {
    setBusy(true);
    const sent = await adminSend(run, userPath(user.id), jsonRequest("PATCH", { role: draft }));
    setBusy(false);
    if (!sent.ok) {
      setDraft(user.role);
      return notice.failed(sent, user.username);
    }
    const body = (await sent.res.json().catch(() => ({}))) as { user?: AdminUser };
    notice.success(`${user.username} is now ${draft === "admin" ? "an admin" : "a user"}.`);
    onChanged(body.user ?? { ...user, role: draft });
  }

  return (
    <Section title="Role">
      {isSelf ? (
        <Why>You are an admin. Only another admin can change your role.</Why>
      ) : (
        <div className="flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor={selectId} className="sr-only">
              Role for {user.username}
            </label>
            <select
              id={selectId}
              value={draft}
              disabled={busy}
              onChange={(e) => setDraft(e.currentTarget.value === "admin" ? "admin" : "user")}
              className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm shadow-sm disabled:opacity-60"
            >
              <option value="user">User</option>
              <option value="admin">Admin</option>
            </select>
          </div>
          {/* Applied with a button: arrow keys on a focused select fire change events. */}
          <Button size="sm" variant="secondary" busy={busy} disabled={draft === user.role} onClick={save}>
            Change role
          </Button>
        </div>
      )}
      <NoticeLines notice={notice.notice} />
    </Section>
  );
}

function AccessSection({ user, isSelf, run, onChanged }: ActionProps) {
  const [busy, setBusy] = useState(false);
  const notice = useNotice();

  async function toggle() {
    const disabled = !user.disabled;
    setBusy(true);
    const sent = await adminSend(run, userPath(user.id), jsonRequest("PATCH", { disabled }));
    setBusy(false);
    if (!sent.ok) return notice.failed(sent, user.username);
    const body = (await sent.res.json().catch(() => ({}))) as { user?: AdminUser };
    notice.success(disabled ? `${user.username} is disabled and signed out.` : `${user.username} can sign in again.`);
    onChanged(body.user ?? { ...user, disabled });
  }

  return (
    <Section title="Access">
      {isSelf ? (
        <Why>You cannot disable your own account.</Why>
      ) : (
        <>
          <Why>
            {user.disabled
              ? "This account cannot sign in. Enabling it lets them sign in again with their password."
              : "Disabling signs them out everywhere and stops them signing in until enabled again."}
          </Why>
          <Button variant="secondary" size="sm" busy={busy} onClick={toggle}>
            {user.disabled ? "Enable account" : "Disable account"}
          </Button>
        </>
      )}
      <NoticeLines notice={notice.notice} />
    </Section>
  );
}

function PasswordSection({ user, isSelf, run, onChanged }: ActionProps) {
  const [busy, setBusy] = useState(false);
  const [resetUrl, setResetUrl] = useState<string | null>(null);
  const notice = useNotice();

  async function send() {
    setBusy(true);
    setResetUrl(null);
    const sent = await adminSend(run, userPath(user.id, "/password-reset"), { method: "POST" });
    setBusy(false);
    if (!sent.ok) return notice.failed(sent, user.username);
    const body = (await sent.res.json().catch(() => ({}))) as { reset_url?: string };
    if (body.reset_url) {
      setResetUrl(body.reset_url);
      notice.success(`Signed ${user.username} out everywhere. No email was sent: give them the link below to choose a new password.`);
    } else {
      notice.success(`Signed ${user.username} out everywhere and emailed them a link to choose a new password.`);
    }
    onChanged();
  }

  return (
    <Section title="Password">
      {isSelf ? (
        <Why>Change your own password on your account page.</Why>
      ) : (
        <>
          <Why>Ends every session and gives them a one-time link to choose a new password.</Why>
          <Button variant="secondary" size="sm" busy={busy} onClick={send}>
            Send password reset
          </Button>
        </>
      )}
      <NoticeLines notice={notice.notice} />
      {resetUrl ? <CopyField label={`Reset link for ${user.username}`} value={resetUrl} hint="It works once. Send it privately." /> : null}
    </Section>
  );
}

function ImpersonateSection({ user, isSelf, run }: ActionProps) {
  const [busy, setBusy] = useState(false);
  const notice = useNotice();
  const reasonId = useId();
  const reason = isSelf
    ? "This is your own account."
    : user.role === "admin"
      ? "Administrators cannot be impersonated."
      : user.disabled
        ? "Disabled accounts cannot be impersonated. Enable the account first."
        : null;

  async function start() {
    setBusy(true);
    const sent = await adminSend(run, userPath(user.id, "/impersonate"), { method: "POST" });
    if (!sent.ok) {
      setBusy(false);
      return notice.failed(sent, user.username);
    }
    // A full load: every part of the page, the header included, must now show the account acted as.
    window.location.assign("/dashboard");
  }

  return (
    <Section title="Impersonate">
      <Why>
        See the app as {user.username} sees it, for up to an hour. Everything you do is recorded under your name, and you can stop at any
        time.
      </Why>
      <Button
        variant="secondary"
        size="sm"
        busy={busy}
        disabled={reason !== null}
        aria-describedby={reason ? reasonId : undefined}
        onClick={start}
      >
        Impersonate<span className="sr-only"> {user.username}</span>
      </Button>
      {reason ? (
        <p id={reasonId} className="text-sm text-zinc-600">
          {reason}
        </p>
      ) : null}
      <NoticeLines notice={notice.notice} />
    </Section>
  );
}

function DeleteSection({ user, isSelf, run, onDeleted }: ActionProps & { onDeleted: () => void }) {
  const [open, setOpen] = useState(false);

  async function remove(): Promise<string | null> {
    const sent = await adminSend(run, userPath(user.id), { method: "DELETE" });
    if (!sent.ok) {
      if (sent.error === null) return null;
      if (sent.error.status !== 404) return describeApiError(sent.error);
    }
    setOpen(false);
    onDeleted();
    return null;
  }

  return (
    <Section title="Delete">
      {isSelf ? (
        <Why>You cannot delete your own account here.</Why>
      ) : (
        <>
          <Why>Removes the account for good. Its audit events stay.</Why>
          <Button variant="danger-ghost" size="sm" className="-ml-3" onClick={() => setOpen(true)}>
            Delete account…
          </Button>
        </>
      )}
      <DeleteUserDialog username={open ? user.username : null} onCancel={() => setOpen(false)} onDelete={remove} />
    </Section>
  );
}

export function UserActions(props: ActionProps & { onDeleted: () => void }) {
  return (
    <Card title="Manage">
      <div className="divide-y divide-zinc-100">
        <RoleSection {...props} />
        <AccessSection {...props} />
        <PasswordSection {...props} />
        <ImpersonateSection {...props} />
        <DeleteSection {...props} />
      </div>
    </Card>
  );
}
