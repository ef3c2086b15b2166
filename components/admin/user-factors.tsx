"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import type { StepUp } from "@/components/account/step-up-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { adminSend, userPath } from "./admin-request";
import { LocalTime } from "./local-time";
import { NoticeLines } from "./notice-lines";
import type { AdminSecondFactors, AdminUser } from "./types";
import { useNotice } from "./use-notice";

type Props = {
  user: AdminUser;
  factors: AdminSecondFactors;
  isSelf: boolean;
  run: StepUp["run"];
  onChanged: () => void;
};

export function UserFactors({ user, factors, isSelf, run, onChanged }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const notice = useNotice();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  const noticeRef = useRef<HTMLDivElement>(null);
  const any = factors.totp || factors.passkeys.length > 0;

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (wasConfirming.current) openerRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  async function reset() {
    setBusy(true);
    const sent = await adminSend(run, userPath(user.id, "/second-factors"), { method: "DELETE" });
    setBusy(false);
    if (!sent.ok) return notice.failed(sent, user.username);
    wasConfirming.current = false;
    setConfirming(false);
    notice.success(
      `Removed ${user.username}'s authenticator app, recovery codes and passkeys. They can sign in with their password alone.${user.email ? " We emailed them to say so." : ""}`,
    );
    onChanged();
    // The confirmation and the button that opened it are gone: focus the outcome.
    noticeRef.current?.focus();
  }

  return (
    <Card title="Second factors" description={any ? "What stands behind the password." : "Password only."}>
      <div ref={noticeRef} tabIndex={-1}>
        <NoticeLines notice={notice.notice} className="mb-3" />
      </div>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-6 gap-y-2 text-sm">
        <dt className="text-zinc-600">Authenticator app</dt>
        <dd>{factors.totp ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}</dd>
        <dt className="text-zinc-600">Recovery codes</dt>
        <dd className="text-zinc-900">{factors.totp ? `${factors.recoveryCodesLeft} left` : "None"}</dd>
        <dt className="text-zinc-600">Passkeys</dt>
        <dd className="min-w-0 text-zinc-900">
          {factors.passkeys.length === 0 ? (
            "None"
          ) : (
            <ul className="space-y-1">
              {factors.passkeys.map((passkey) => (
                <li key={passkey.id}>
                  <span className="font-medium break-words">{passkey.name}</span>
                  <span className="block text-xs text-zinc-600">
                    Added <LocalTime iso={passkey.createdAt} />
                    {passkey.lastUsedAt ? (
                      <>
                        {" "}
                        · used <LocalTime iso={passkey.lastUsedAt} relative />
                      </>
                    ) : (
                      " · never used"
                    )}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      {isSelf ? (
        <p className="mt-4 text-sm text-zinc-600">
          Manage your own second factors on your{" "}
          <Link href="/account#security" className="font-medium text-zinc-900 underline underline-offset-4">
            account page
          </Link>
          .
        </p>
      ) : any ? (
        <div className="mt-4 border-t border-zinc-100 pt-4">
          {confirming ? (
            // biome-ignore lint/a11y/useSemanticElements: a <fieldset> would draw a border and a legend; this only groups two buttons.
            <div
              className="flex flex-wrap items-center gap-2"
              role="group"
              aria-label={`Confirm resetting the second factors of ${user.username}`}
            >
              <p className="w-full text-sm text-zinc-700">
                Remove {user.username}’s authenticator app, recovery codes and passkeys?{user.email ? " They will get an email." : ""}
              </p>
              <Button ref={cancelRef} variant="secondary" size="sm" disabled={busy} onClick={() => setConfirming(false)}>
                Cancel
              </Button>
              <Button variant="danger" size="sm" busy={busy} onClick={reset}>
                Reset second factors
              </Button>
            </div>
          ) : (
            <Button ref={openerRef} variant="secondary" size="sm" onClick={() => setConfirming(true)}>
              Reset second factors
            </Button>
          )}
          <p className="mt-2 text-xs text-zinc-600">
            For someone who lost their phone or security key: they sign in with their password and set up again.
          </p>
        </div>
      ) : null}
    </Card>
  );
}
