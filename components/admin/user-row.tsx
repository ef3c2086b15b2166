"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import type { StepUp } from "@/components/account/step-up-dialog";
import { Badge, RoleBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { describeApiError } from "@/lib/client/api-error";
import { jsonRequest } from "@/lib/client/api-fetch";
import { adminSend, userPath } from "./admin-request";
import { LocalTime } from "./local-time";
import { CARD_LABEL, RCell, RRow, RRowHeader } from "./responsive-table";
import type { AdminUser, Notice } from "./types";

type Props = {
  user: AdminUser;
  isSelf: boolean;
  onUpdated: (user: AdminUser) => void;
  onRemoved: () => void;
  onNotice: (notice: Notice) => void;
  /** Opens the panel's typed confirmation for deleting this user. */
  onRequestDelete: (user: AdminUser) => void;
  /** The panel's "Confirm it's you" step: sensitive admin actions need a recent sign-in. */
  runStepUp: StepUp["run"];
};

type Action = "role" | "disable" | "revoke" | "factors";

/** The summary of one account in the users list, with the quick actions; the rest is on its page. */
export function UserRow({ user, isSelf, onUpdated, onRemoved, onNotice, onRequestDelete, runStepUp }: Props) {
  const [roleDraft, setRoleDraft] = useState(user.role);
  const [busy, setBusy] = useState<Action | null>(null);
  const [confirmingFactors, setConfirmingFactors] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const factorsRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  const roleId = useId();
  const path = userPath(user.id);

  useEffect(() => setRoleDraft(user.role), [user.role]);

  useEffect(() => {
    // Destructive step: land on Cancel; when the step closes, return to the button that opened it.
    if (confirmingFactors) cancelRef.current?.focus();
    else if (wasConfirming.current) factorsRef.current?.focus();
    wasConfirming.current = confirmingFactors;
  }, [confirmingFactors]);

  async function send(action: Action, init: RequestInit, url = path): Promise<Response | null> {
    setBusy(action);
    const sent = await adminSend(runStepUp, url, init);
    setBusy(null);
    if (sent.ok) return sent.res;
    if (sent.error?.status === 404) {
      onNotice({ tone: "error", text: `${user.username} no longer exists.` });
      onRemoved();
    } else if (sent.error) {
      onNotice({ tone: "error", text: describeApiError(sent.error) });
    }
    return null;
  }

  async function patch(action: Action, changes: Partial<Pick<AdminUser, "role" | "disabled">>, done: string) {
    const res = await send(action, jsonRequest("PATCH", changes));
    if (!res) {
      setRoleDraft(user.role);
      return;
    }
    const body = (await res.json().catch(() => ({}))) as { user?: Partial<AdminUser> };
    onUpdated({ ...user, ...changes, ...body.user });
    onNotice({ tone: "success", text: done });
  }

  async function revoke() {
    if (await send("revoke", { method: "POST" }, userPath(user.id, "/revoke-sessions"))) {
      onUpdated({ ...user, activeSessions: 0 });
      onNotice({ tone: "success", text: `Signed ${user.username} out of every session.` });
    }
  }

  async function resetFactors() {
    if (await send("factors", { method: "DELETE" }, userPath(user.id, "/second-factors"))) {
      setConfirmingFactors(false);
      onUpdated({ ...user, secondFactors: { totp: false, passkeys: 0 } });
      const told = user.email ? " We emailed them to say so." : "";
      onNotice({
        tone: "success",
        text: `Removed ${user.username}'s authenticator app, recovery codes and passkeys. They can sign in with their password alone.${told}`,
      });
    }
  }

  const locked = busy !== null;
  const name = <span className="sr-only"> {user.username}</span>;

  return (
    <RRow className={user.disabled ? "lg:bg-zinc-50/70" : undefined}>
      <RRowHeader className="col-span-2 lg:min-w-56">
        <Link
          href={`/admin/users/${encodeURIComponent(user.id)}`}
          className="font-medium break-all text-zinc-900 underline underline-offset-4 decoration-zinc-300 hover:decoration-zinc-900"
        >
          {user.username}
        </Link>
        {isSelf ? (
          <span className="ml-2">
            <Badge tone="indigo">You</Badge>
          </span>
        ) : null}
        {user.email ? (
          <div className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-600">
            <span className="break-all">{user.email}</span>
            {user.emailVerified ? <Badge tone="green">Confirmed</Badge> : <Badge tone="amber">Email not confirmed</Badge>}
          </div>
        ) : (
          <div className="mt-0.5 text-xs text-zinc-600">No email</div>
        )}
        <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-600">
          {user.secondFactors.totp || user.secondFactors.passkeys > 0 ? (
            <>
              {user.secondFactors.totp ? <Badge tone="green">Authenticator app</Badge> : null}
              {user.secondFactors.passkeys > 0 ? (
                <Badge tone="green">{user.secondFactors.passkeys === 1 ? "1 passkey" : `${user.secondFactors.passkeys} passkeys`}</Badge>
              ) : null}
            </>
          ) : (
            <span>Password only</span>
          )}
        </div>
      </RRowHeader>
      <RCell>
        <span aria-hidden="true" className={CARD_LABEL}>
          Role
        </span>
        {isSelf ? (
          // Your own role is not yours to change (409 cannot_change_self): another admin must.
          <RoleBadge role={user.role} />
        ) : (
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor={roleId} className="sr-only">
              Role for {user.username}
            </label>
            <select
              id={roleId}
              value={roleDraft}
              disabled={locked}
              onChange={(e) => setRoleDraft(e.currentTarget.value === "admin" ? "admin" : "user")}
              className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm shadow-sm disabled:opacity-60"
            >
              <option value="user">User</option>
              <option value="admin">Admin</option>
            </select>
            {/* Applied with a button, not on change: arrow keys on a focused select fire change events. */}
            {roleDraft !== user.role ? (
              <Button
                size="sm"
                busy={busy === "role"}
                disabled={locked}
                onClick={() =>
                  patch("role", { role: roleDraft }, `${user.username} is now ${roleDraft === "admin" ? "an admin" : "a user"}.`)
                }
              >
                Save role{name}
              </Button>
            ) : null}
          </div>
        )}
      </RCell>
      <RCell>
        <span aria-hidden="true" className={CARD_LABEL}>
          Status
        </span>
        {user.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>}
      </RCell>
      <RCell className="tabular-nums lg:text-right">
        <span aria-hidden="true" className={CARD_LABEL}>
          Sessions
        </span>
        {user.activeSessions}
      </RCell>
      <RCell className="text-sm text-zinc-600">
        <span aria-hidden="true" className={CARD_LABEL}>
          Last seen
        </span>
        {user.lastSeenAt ? <LocalTime iso={user.lastSeenAt} relative /> : "Never"}
        <div className="text-xs text-zinc-500">
          Joined <LocalTime iso={user.createdAt} />
        </div>
      </RCell>
      <RCell className="col-span-2">
        {confirmingFactors ? (
          // biome-ignore lint/a11y/useSemanticElements: a <fieldset> would draw a border and a legend; this only groups two buttons.
          <div
            className="flex flex-wrap items-center gap-2 lg:justify-end"
            role="group"
            aria-label={`Confirm resetting the second factors of ${user.username}`}
          >
            <span className="text-sm text-zinc-700">
              Remove {user.username}’s authenticator app, recovery codes and passkeys?{user.email ? " They will get an email." : ""}
            </span>
            <Button ref={cancelRef} variant="secondary" size="sm" disabled={busy === "factors"} onClick={() => setConfirmingFactors(false)}>
              Cancel
            </Button>
            <Button variant="danger" size="sm" busy={busy === "factors"} onClick={resetFactors}>
              Reset second factors{name}
            </Button>
          </div>
        ) : (
          <>
            {/* Two columns of full-width buttons in a fixed order on wide screens, so every row's
                buttons line up with the next row's (Disable and Enable differ in width). */}
            <div className="flex flex-wrap gap-2 lg:grid lg:grid-cols-[auto_auto] lg:justify-end">
              {isSelf ? null : (
                <Button
                  variant="secondary"
                  size="sm"
                  className="lg:w-full"
                  busy={busy === "disable"}
                  disabled={locked}
                  onClick={() =>
                    patch(
                      "disable",
                      { disabled: !user.disabled },
                      user.disabled ? `${user.username} can sign in again.` : `${user.username} is disabled and signed out.`,
                    )
                  }
                >
                  {user.disabled ? "Enable" : "Disable"}
                  {name}
                </Button>
              )}
              <Button
                variant="secondary"
                size="sm"
                className="lg:col-start-2 lg:w-full"
                busy={busy === "revoke"}
                disabled={locked}
                onClick={revoke}
              >
                Revoke sessions<span className="sr-only"> of {user.username}</span>
              </Button>
              {isSelf ? null : (
                <Button
                  ref={factorsRef}
                  variant="secondary"
                  size="sm"
                  className="lg:w-full"
                  disabled={locked}
                  onClick={() => setConfirmingFactors(true)}
                >
                  Reset second factors{name}
                </Button>
              )}
              {isSelf ? null : (
                <Button variant="danger-ghost" size="sm" className="lg:w-full" disabled={locked} onClick={() => onRequestDelete(user)}>
                  Delete{name}
                </Button>
              )}
            </div>
            {isSelf ? (
              <p className="mt-2 text-xs text-zinc-600 lg:ml-auto lg:max-w-64 lg:text-right">
                Your own account: another admin can disable, delete or change its role.
              </p>
            ) : null}
          </>
        )}
      </RCell>
    </RRow>
  );
}
