"use client";

import { type FormEvent, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert, StatusMessage } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";
import { formText, useApiForm } from "@/components/ui/use-api-form";
import { readApiError } from "@/lib/client/api-error";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { copyText, groupKey } from "./copy-text";

const FIELDS = ["code"] as const;

type Props = {
  secret: string;
  /** The otpauth:// address drawn as an SVG QR code, as a data: URL. */
  qrCode: string;
  onConfirmed: (recoveryCodes: string[]) => void;
  onCancel: () => void;
};

/** Scan (or type the key), then prove it with a first code: POST /api/account/totp/confirm. */
export function TotpEnrolment({ secret, qrCode, onConfirmed, onCancel }: Props) {
  const form = useApiForm(FIELDS, "code");
  const [copied, setCopied] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // The button that opened this is gone: land on the new section's heading.
  useEffect(() => headingRef.current?.focus(), []);

  async function copyKey() {
    setCopied((await copyText(secret)) ? "Setup key copied." : "Couldn't copy. Select the key and copy it yourself.");
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.busy) return;
    const formElement = event.currentTarget;
    const code = formText(new FormData(formElement), "code").replace(/\s+/g, "");
    if (!/^\d{6}$/.test(code)) return form.showFieldErrors({ code: ["Enter the 6 digits the app shows, like 123456."] });

    form.clear();
    form.setBusy(true);
    try {
      const res = await apiFetch("/api/account/totp/confirm", jsonRequest("POST", { code }));
      if (res.ok) {
        const body = (await res.json()) as { recovery_codes: string[] };
        return onConfirmed(body.recovery_codes);
      }
      form.setBusy(false);
      const input = formElement.elements.namedItem("code");
      if (input instanceof HTMLInputElement) input.value = "";
      form.showApiError(await readApiError(res));
    } catch {
      form.setBusy(false);
      form.showNetworkError();
    }
  }

  return (
    <div className="border-t border-zinc-100 pt-5">
      <h3 ref={headingRef} tabIndex={-1} className="text-sm font-semibold text-zinc-900">
        Set up your authenticator app
      </h3>
      <p className="mt-1 text-sm text-zinc-600">
        Use an app such as Google Authenticator, Microsoft Authenticator, 1Password or Bitwarden.
      </p>
      <ol className="mt-5 space-y-6 text-sm text-zinc-800">
        <li className="grid grid-cols-[1.5rem_minmax(0,1fr)] gap-3">
          <StepNumber n={1} />
          <div className="space-y-3">
            <p>In the app, add an account and scan this QR code.</p>
            {/* biome-ignore lint/performance/noImgElement: a data: URL made in the browser; next/image has nothing to optimise. */}
            <img
              src={qrCode}
              alt="QR code to scan with your authenticator app. It holds the setup key shown in step 2."
              width={176}
              height={176}
              className="size-44 rounded-md border border-zinc-200 bg-white p-2"
            />
          </div>
        </li>
        <li className="grid grid-cols-[1.5rem_minmax(0,1fr)] gap-3">
          <StepNumber n={2} />
          <div className="space-y-3">
            <p>Can’t scan it? Choose to enter a setup key instead, and type this one:</p>
            <div className="flex flex-wrap items-center gap-3">
              <code className="rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-sm tracking-wider text-zinc-900 select-all">
                {groupKey(secret)}
              </code>
              <Button variant="secondary" size="sm" onClick={copyKey}>
                Copy setup key
              </Button>
            </div>
            <StatusMessage message={copied} />
          </div>
        </li>
        <li className="grid grid-cols-[1.5rem_minmax(0,1fr)] gap-3">
          <StepNumber n={3} />
          <form
            ref={form.formRef}
            method="post"
            onSubmit={onSubmit}
            noValidate
            aria-label="Confirm the authenticator app"
            className="max-w-sm space-y-4"
          >
            <TextField
              label="Code from the app"
              name="code"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={20}
              hint="Enter the 6-digit code the app shows for Latchkey."
              required
              errors={form.fieldErrors.code}
            />
            <div className="flex flex-wrap gap-3">
              <Button type="submit" busy={form.busy}>
                {form.busy ? "Checking…" : "Turn on two-factor authentication"}
              </Button>
              <Button variant="ghost" disabled={form.busy} onClick={onCancel}>
                Cancel
              </Button>
            </div>
            {/* Last, not first: an empty alert at the top would give the field a phantom margin. */}
            <ErrorAlert message={form.message} />
          </form>
        </li>
      </ol>
    </div>
  );
}

function StepNumber({ n }: { n: number }) {
  return (
    <span aria-hidden="true" className="grid size-6 place-items-center rounded-full bg-zinc-900 text-xs font-semibold text-white">
      {n}
    </span>
  );
}
