"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { isStepUpCancelled, type StepUp } from "@/components/account/step-up-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { describeApiError, NETWORK_ERROR_MESSAGE, readApiError } from "@/lib/client/api-error";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { formatDateTime, formatRelative } from "@/lib/client/format";
import type { AdminUser, Notice } from "./types";

type Props = {
  user: AdminUser;
  isSelf: boolean;
  onUpdated: (user: AdminUser) => void;
  onRemoved: () => void;
  onNotice: (notice: Notice) => void;
  /** The panel's "Confirm it's you" step: sensitive admin actions need a recent sign-in. */
  runStepUp: StepUp["run"];
};

type Action = "role" | "disable" | "revoke" | "delete" | "factors";
/** A destructive action waiting for its second press. */
type Confirming = "delete" | "factors" | null;

export function UserRow({ user, isSelf, onUpdated, onRemoved, onNotice, runStepUp }: Props) {
  const [roleDraft, setRoleDraft] = useState(user.role);
  const [busy, setBusy] = useState<Action | null>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const factorsRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef<Confirming>(null);
  const roleId = useId();
  const path = `/api/admin/users/${encodeURIComponent(user.id)}`;

  useEffect(() => setRoleDraft(user.role), [user.role]);

  useEffect(() => {
    // Destructive step: land on Cancel; when the step closes, return to the button that opened it.
    if (confirming) cancelRef.current?.focus();
    else if (wasConfirming.current === "delete") deleteRef.current?.focus();
    else if (wasConfirming.current === "factors") factorsRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  async function send(action: Action, init: RequestInit, url = path): Promise<Response | null> {
    setBusy(action);
    try {
      const res = await runStepUp(() => apiFetch(url, init));
      if (isStepUpCancelled(res)) return null;
      if (!res.ok) {
        const error = await readApiError(res);
        onNotice({ tone: "error", text: res.status === 404 ? `${user.username} no longer exists.` : describeApiError(error) });
        if (res.status === 404) onRemoved();
        return null;
      }
      return res;
    } catch {
      onNotice({ tone: "error", text: NETWORK_ERROR_MESSAGE });
      return null;
    } finally {
      setBusy(null);
    }
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
    // Demoting yourself ends your admin access; the page would only fail from here on.
    if (isSelf && changes.role === "user") window.location.assign("/dashboard");
  }

  async function revoke() {
    if (await send("revoke", { method: "POST" }, `${path}/revoke-sessions`)) {
      onUpdated({ ...user, activeSessions: 0 });
      onNotice({ tone: "success", text: `Signed ${user.username} out of every session.` });
    }
  }

  async function remove() {
    if (await send("delete", { method: "DELETE" })) {
      setConfirming(null);
      onNotice({ tone: "success", text: `Deleted ${user.username}.` });
      onRemoved();
    }
  }

  async function resetFactors() {
    if (await send("factors", { method: "DELETE" }, `${path}/second-factors`)) {
      setConfirming(null);
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
    <tr className={user.disabled ? "bg-zinc-50/70" : undefined}>
      <th scope="row" className="px-4 py-3 text-left align-top font-normal">
        <Link
          href={`/admin/audit?user=${encodeURIComponent(user.username)}`}
          className="font-medium text-zinc-900 underline-offset-4 hover:underline"
          title={`Audit events for ${user.username}`}
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
      </th>
      <td className="px-4 py-3 align-top">
        <div className="flex items-center gap-2">
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
      </td>
      <td className="px-4 py-3 align-top">{user.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>}</td>
      <td className="px-4 py-3 text-right align-top tabular-nums">{user.activeSessions}</td>
      <td className="px-4 py-3 align-top text-sm text-zinc-600">
        {user.lastSeenAt ? (
          <time dateTime={user.lastSeenAt} title={formatDateTime(user.lastSeenAt)}>
            {formatRelative(user.lastSeenAt)}
          </time>
        ) : (
          "Never"
        )}
        <div className="text-xs text-zinc-500">Joined {formatDateTime(user.createdAt)}</div>
      </td>
      <td className="px-4 py-3 align-top">
        {confirming === "delete" ? (
          // biome-ignore lint/a11y/useSemanticElements: a <fieldset> would draw a border and a legend; this only groups two buttons.
          <div className="flex flex-wrap items-center justify-end gap-2" role="group" aria-label={`Confirm deleting ${user.username}`}>
            <span className="text-sm text-zinc-700">Delete {user.username} and all their sessions?</span>
            <Button ref={cancelRef} variant="secondary" size="sm" disabled={busy === "delete"} onClick={() => setConfirming(null)}>
              Cancel
            </Button>
            <Button variant="danger" size="sm" busy={busy === "delete"} onClick={remove}>
              Delete permanently{name}
            </Button>
          </div>
        ) : confirming === "factors" ? (
          // biome-ignore lint/a11y/useSemanticElements: a <fieldset> would draw a border and a legend; this only groups two buttons.
          <div
            className="flex flex-wrap items-center justify-end gap-2"
            role="group"
            aria-label={`Confirm resetting the second factors of ${user.username}`}
          >
            <span className="text-sm text-zinc-700">
              Remove {user.username}’s authenticator app, recovery codes and passkeys?{user.email ? " They will get an email." : ""}
            </span>
            <Button ref={cancelRef} variant="secondary" size="sm" disabled={busy === "factors"} onClick={() => setConfirming(null)}>
              Cancel
            </Button>
            <Button variant="danger" size="sm" busy={busy === "factors"} onClick={resetFactors}>
              Reset second factors{name}
            </Button>
          </div>
        ) : (
          <div className="flex flex-wrap justify-end gap-2">
            <Button
              variant="secondary"
              size="sm"
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
            <Button variant="secondary" size="sm" busy={busy === "revoke"} disabled={locked} onClick={revoke}>
              Revoke sessions<span className="sr-only"> of {user.username}</span>
            </Button>
            {isSelf ? null : (
              <Button ref={factorsRef} variant="secondary" size="sm" disabled={locked} onClick={() => setConfirming("factors")}>
                Reset second factors{name}
              </Button>
            )}
            <Button ref={deleteRef} variant="danger-ghost" size="sm" disabled={locked} onClick={() => setConfirming("delete")}>
              Delete{name}
            </Button>
          </div>
        )}
      </td>
    </tr>
  );
}
