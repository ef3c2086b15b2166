"use client";
// "Confirm it's you" (SPEC "Step-up"): sensitive operations answer 403 reauthentication_required
// when the session is not fresh. `useStepUp().run(action)` performs the action; on that answer it
// opens a modal asking for the password (and the authenticator code when the account has one),
// POSTs /api/auth/reauthenticate, then performs the action once more. A native <dialog> opened
// with showModal(): the browser makes the rest of the page inert, keeps focus inside, and closes
// it on Escape.
import { startAuthentication } from "@simplewebauthn/browser";
import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";
import { formPassword, formText, useApiForm } from "@/components/ui/use-api-form";
import { hasFieldErrors, validateFields } from "@/components/ui/validate";
import { type ApiError, readApiError } from "@/lib/client/api-error";
import { apiFetch } from "@/lib/client/api-fetch";
import { loginUrlForCurrentPage, refreshSession } from "@/lib/client/session";
import { ReauthenticateBodySchema } from "@/lib/validation/fields";

type Outcome = "confirmed" | "cancelled";
type PasskeyRequestOptions = Parameters<typeof startAuthentication>[0]["optionsJSON"];

export type StepUpOptions = {
  /**
   * Whether the account has an authenticator app, when the caller knows it (the code field is
   * then shown at once). Left out, the dialog asks GET /api/me when it opens.
   */
  totp?: boolean;
};

export type StepUp = {
  /** Render this once, anywhere in the component that calls `run`. */
  dialog: ReactNode;
  /**
   * Performs `action`; if it answers 403 reauthentication_required, asks the person to confirm
   * it's them and performs it once more. Resolves with the last answer, or, when the person
   * closes the dialog, with a 403 that `isStepUpCancelled` recognises (nothing was done: show nothing).
   */
  run: <T extends Response = Response>(action: () => Promise<T>) => Promise<T>;
};

const FIELDS = ["password", "code"] as const;
const cancelled = new WeakSet<Response>();

/** True for the answer `run` gives when the person closed the "Confirm it's you" dialog. */
export function isStepUpCancelled(res: Response): boolean {
  return cancelled.has(res);
}

function cancelledResponse(): Response {
  const body = { code: "reauthentication_cancelled", message: "Cancelled. Nothing was changed." };
  const res = new Response(JSON.stringify(body), { status: 403, headers: { "content-type": "application/json" } });
  cancelled.add(res);
  return res;
}

async function needsStepUp(res: Response): Promise<boolean> {
  if (res.status !== 403) return false;
  try {
    const body = (await res.clone().json()) as { code?: unknown };
    return body.code === "reauthentication_required";
  } catch {
    return false;
  }
}

/** Focus is nowhere useful: on <body>, or still inside the dialog that just closed. */
function focusLost(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || active.closest("dialog:not([open])") !== null;
}

/**
 * The button that started an action was disabled while it ran, so focus fell to <body>; once it
 * is usable again, and nothing else took focus, put focus back on it.
 */
function returnFocus(opener: HTMLElement | null): void {
  if (!opener) return;
  let frames = 0;
  const attempt = () => {
    if (!focusLost()) return;
    if (opener.isConnected && !(opener instanceof HTMLButtonElement && opener.disabled)) {
      opener.focus();
      return;
    }
    if (++frames < 30) requestAnimationFrame(attempt);
  };
  requestAnimationFrame(attempt);
}

/**
 * POST /api/auth/reauthenticate. Not through apiFetch: it refreshes and retries every 401 of this
 * endpoint but `invalid_credentials`, so a wrong authenticator code (401 `invalid_code`) would be
 * sent, and counted against the sign-in throttle, twice. Any other 401 is an expired access token:
 * one refresh, then one retry, as apiFetch does.
 */
async function postReauthenticate(
  body: { password: string; code?: string } | { challengeId: string; response: unknown },
): Promise<Response> {
  const init: RequestInit = {
    method: "POST",
    body: JSON.stringify(body),
    headers: { accept: "application/json", "content-type": "application/json" },
    credentials: "same-origin",
  };
  const sentAt = Date.now();
  const first = await fetch("/api/auth/reauthenticate", init);
  if (first.status !== 401) return first;
  const code = await first
    .clone()
    .json()
    .then((b: { code?: unknown }) => b.code)
    .catch(() => null);
  if (code === "invalid_credentials" || code === "invalid_code") return first;
  const outcome = await refreshSession({ since: sentAt }).catch(() => ({ status: "unavailable" as const }));
  if (outcome.status === "signed-out") {
    window.location.assign(loginUrlForCurrentPage());
    return first;
  }
  return outcome.status === "refreshed" ? fetch("/api/auth/reauthenticate", init) : first;
}

export function useStepUp(options: StepUpOptions = {}): StepUp {
  const [open, setOpen] = useState(false);
  const pending = useRef<{ promise: Promise<Outcome>; resolve: (outcome: Outcome) => void } | null>(null);

  // Several actions waiting at once share one dialog.
  const ask = useCallback((): Promise<Outcome> => {
    if (pending.current) return pending.current.promise;
    let resolve: (outcome: Outcome) => void = () => {};
    const promise = new Promise<Outcome>((r) => {
      resolve = r;
    });
    pending.current = { promise, resolve };
    setOpen(true);
    return promise;
  }, []);

  const finish = useCallback((outcome: Outcome) => {
    const waiting = pending.current;
    pending.current = null;
    setOpen(false);
    waiting?.resolve(outcome);
  }, []);

  const run = useCallback(
    async <T extends Response = Response>(action: () => Promise<T>): Promise<T> => {
      const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      const first = await action();
      if (!(await needsStepUp(first))) return first;
      const outcome = await ask();
      try {
        if (outcome === "cancelled") return cancelledResponse() as T;
        return await action();
      } finally {
        returnFocus(opener);
      }
    },
    [ask],
  );

  return { dialog: <StepUpDialog open={open} totp={options.totp} onDone={finish} />, run };
}

type Me = { username: string; totp: boolean; passkeys: number };

async function loadMe(): Promise<Me | null> {
  try {
    const res = await apiFetch("/api/me");
    if (!res.ok) return null;
    const body = (await res.json()) as { user?: { username?: string; secondFactors?: { totp?: boolean; passkeys?: number } } };
    const factors = body.user?.secondFactors;
    return { username: body.user?.username ?? "", totp: factors?.totp === true, passkeys: factors?.passkeys ?? 0 };
  } catch {
    return null;
  }
}

function StepUpDialog({ open, totp, onDone }: { open: boolean; totp: boolean | undefined; onDone: (outcome: Outcome) => void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const outcome = useRef<Outcome>("cancelled");
  const form = useApiForm(FIELDS, "password");
  const { clear, formRef } = form;
  const [me, setMe] = useState<Me | null>(null);
  // A code the server asked for although nothing said the account has an app (the lookup failed).
  const [codeAsked, setCodeAsked] = useState(false);
  const titleId = useId();
  const descriptionId = useId();
  const needsCode = totp ?? me?.totp ?? codeAsked;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      outcome.current = "cancelled";
      formRef.current?.reset();
      clear();
      setCodeAsked(false);
      dialog.showModal();
      formRef.current?.querySelector<HTMLInputElement>('[name="password"]')?.focus();
      void loadMe().then(setMe);
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open, clear, formRef]);

  function close(result: Outcome) {
    outcome.current = result;
    dialogRef.current?.close();
  }

  function showError(error: ApiError) {
    // A wrong password or code belongs to its field, whatever else the answer says.
    if (error.code === "invalid_credentials") return form.showFieldErrors({ password: [error.fields.password?.[0] ?? error.message] });
    if (error.code === "invalid_code") {
      setCodeAsked(true);
      return form.showFieldErrors({ code: [error.fields.code?.[0] ?? error.message] });
    }
    form.showApiError(error);
  }

  /** "Use a passkey instead": an assertion from one of this account's passkeys proves it too. */
  async function confirmWithPasskey() {
    if (form.busy) return;
    form.clear();
    form.setBusy(true);
    try {
      const optionsRes = await apiFetch("/api/auth/passkey/options", { method: "POST" });
      if (!optionsRes.ok) return showError(await readApiError(optionsRes));
      const { challengeId, options } = (await optionsRes.json()) as { challengeId: string; options: PasskeyRequestOptions };
      let response: Awaited<ReturnType<typeof startAuthentication>>;
      try {
        response = await startAuthentication({ optionsJSON: options });
      } catch {
        // The person dismissed the browser's prompt: nothing to say.
        return;
      }
      const res = await postReauthenticate({ challengeId, response });
      if (res.ok) return close("confirmed");
      showError(await readApiError(res));
    } catch {
      form.showNetworkError();
    } finally {
      form.setBusy(false);
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.busy) return;
    const formElement = event.currentTarget;
    const data = new FormData(formElement);
    const password = formPassword(data, "password");
    const code = needsCode ? formText(data, "code").replace(/\s+/g, "") : undefined;
    const body = code === undefined ? { password } : { password, code };
    const errors = validateFields(ReauthenticateBodySchema, body, [["code", code === "", "Enter the code from your authenticator app."]]);
    if (hasFieldErrors(errors)) return form.showFieldErrors(errors);

    form.clear();
    form.setBusy(true);
    let res: Response;
    try {
      res = await postReauthenticate(body);
    } catch {
      form.setBusy(false);
      return form.showNetworkError();
    }
    form.setBusy(false);
    if (res.ok) return close("confirmed");
    const error = await readApiError(res);
    // Each code works once: a failed one is of no further use.
    const codeInput = formElement.elements.namedItem("code");
    if (codeInput instanceof HTMLInputElement) codeInput.value = "";
    showError(error);
  }

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onCancel={(event) => {
        // Escape while the answer is on its way would leave the person unsure what happened.
        if (form.busy) event.preventDefault();
      }}
      onClose={() => onDone(outcome.current)}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/50"
    >
      <form ref={form.formRef} method="post" onSubmit={onSubmit} noValidate className="space-y-5 px-6 py-6">
        <div>
          <h2 id={titleId} className="text-lg font-semibold tracking-tight text-zinc-900">
            Confirm it’s you
          </h2>
          <p id={descriptionId} className="mt-1 text-sm text-zinc-600">
            {needsCode
              ? "This needs a recent sign-in. Enter your password and a code from your authenticator app to continue."
              : "This needs a recent sign-in. Enter your password to continue."}
          </p>
        </div>
        <ErrorAlert message={form.message} />
        {/* Lets password managers offer this account's password. */}
        {me?.username ? <input type="text" name="username" autoComplete="username" value={me.username} readOnly hidden /> : null}
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={form.fieldErrors.password}
        />
        {needsCode ? (
          <TextField
            label="Authentication code"
            name="code"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={20}
            hint="The 6-digit code your authenticator app shows now."
            required
            errors={form.fieldErrors.code}
          />
        ) : null}
        <div className="flex flex-wrap justify-end gap-3 pt-1">
          {me && me.passkeys > 0 ? (
            <Button variant="secondary" disabled={form.busy} onClick={() => void confirmWithPasskey()} className="mr-auto">
              Use a passkey instead
            </Button>
          ) : null}
          <Button variant="secondary" disabled={form.busy} onClick={() => close("cancelled")}>
            Cancel
          </Button>
          <Button type="submit" busy={form.busy}>
            {form.busy ? "Confirming…" : "Confirm"}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
