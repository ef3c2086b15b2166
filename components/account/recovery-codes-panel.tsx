"use client";

import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { StatusMessage } from "@/components/ui/messages";
import { copyText, downloadText } from "./copy-text";

type Props = {
  codes: string[];
  username: string;
  /** "enabled": the first set, right after turning the app on; "replaced": new ones, the old void. */
  reason: "enabled" | "replaced";
  onDone: () => void;
};

function fileText(codes: string[], username: string): string {
  return [
    `Latchkey recovery codes${username ? ` for ${username}` : ""}`,
    `Created ${new Date().toISOString().slice(0, 10)}`,
    "",
    "Each code signs you in once when you can't use your authenticator app.",
    "Getting new codes makes these stop working.",
    "",
    ...codes,
    "",
  ].join("\n");
}

/** The recovery codes, shown once: list, copy, download, and "I have saved these codes" before Done. */
export function RecoveryCodesPanel({ codes, username, reason, onDone }: Props) {
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const checkboxRef = useRef<HTMLInputElement>(null);
  const checkboxId = useId();
  const errorId = useId();

  useEffect(() => headingRef.current?.focus(), []);

  async function copy() {
    setStatus((await copyText(codes.join("\n"))) ? "Recovery codes copied." : "Couldn't copy. Select the codes and copy them yourself.");
  }

  function download() {
    downloadText("latchkey-recovery-codes.txt", fileText(codes, username));
    setStatus("Recovery codes downloaded as latchkey-recovery-codes.txt.");
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!checkboxRef.current?.checked) {
      setError("Save the codes first, then tick this box. They won't be shown again.");
      checkboxRef.current?.focus();
      return;
    }
    onDone();
  }

  return (
    <div className="border-t border-zinc-100 pt-5">
      <h3 ref={headingRef} tabIndex={-1} className="text-sm font-semibold text-zinc-900">
        Save your recovery codes
      </h3>
      <p className="mt-1 max-w-prose text-sm text-zinc-600">
        {reason === "enabled" ? "Two-factor authentication is on. " : "Your old recovery codes no longer work. "}
        If you lose your phone, each of these codes signs you in once instead of a code from the app. This is the only time they are shown:
        keep them somewhere safe, such as a password manager.
      </p>
      <ol
        aria-label="Recovery codes"
        className="mt-4 grid w-fit max-w-full grid-cols-2 gap-x-10 gap-y-2 rounded-md border border-zinc-200 bg-zinc-50 px-4 py-3 font-mono text-sm tracking-wide text-zinc-900 select-all"
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button variant="secondary" size="sm" onClick={copy}>
          Copy codes
        </Button>
        <Button variant="secondary" size="sm" onClick={download}>
          Download .txt
        </Button>
      </div>
      <StatusMessage message={status} className="mt-3 max-w-md" />
      <form method="post" onSubmit={onSubmit} noValidate aria-label="Finish saving recovery codes" className="mt-5 space-y-4">
        <div>
          <div className="flex items-center gap-2">
            <input
              ref={checkboxRef}
              id={checkboxId}
              type="checkbox"
              name="saved"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              onChange={(e) => e.currentTarget.checked && setError(null)}
              className="size-4 rounded border-zinc-300 accent-zinc-900"
            />
            <label htmlFor={checkboxId} className="text-sm font-medium text-zinc-900">
              I have saved these codes
            </label>
          </div>
          {error ? (
            <p id={errorId} className="mt-1.5 text-sm text-red-700">
              {error}
            </p>
          ) : null}
        </div>
        <Button type="submit">Done</Button>
      </form>
    </div>
  );
}
