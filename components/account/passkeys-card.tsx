"use client";
// The account's passkeys (id="passkeys"): each with its name, when it was added and last used;
// adding one (options from the server → the browser's passkey prompt → POST), renaming one in
// place, and removing one after a confirmation. Adding, renaming and removing need a fresh
// sign-in: they go through useStepUp, which asks "Confirm it's you" when the server wants it.
import { startRegistration, WebAuthnError } from "@simplewebauthn/browser";
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorAlert, StatusMessage } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";
import { hasFieldErrors, validateFields } from "@/components/ui/validate";
import { describeApiError, NETWORK_ERROR_MESSAGE, readApiError } from "@/lib/client/api-error";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { formatDateTime, formatRelative } from "@/lib/client/format";
import { RenamePasskeyBodySchema } from "@/lib/validation/fields";
import { isStepUpCancelled, useStepUp } from "./step-up-dialog";

export type PasskeyItem = { id: string; name: string; createdAt: string; lastUsedAt: string | null };

type Busy = "add" | `rename:${string}` | `remove:${string}` | null;
type Mode = { kind: "list" } | { kind: "rename"; id: string } | { kind: "remove"; id: string };

/** What went wrong in the browser's passkey prompt, in words; null when the person simply closed it. */
function ceremonyProblem(error: unknown): string | null {
  const name = error instanceof Error ? error.name : "";
  if (error instanceof WebAuthnError && error.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") {
    return "This device already holds a passkey for your account. Use another device, or remove the old passkey first.";
  }
  if (name === "NotAllowedError" || name === "AbortError") return null;
  if (error instanceof WebAuthnError && error.code === "ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT") {
    return "This security key can’t store a passkey. Try your phone, your computer, or another key.";
  }
  return "Your browser couldn’t create the passkey. Try again, or use another device.";
}

export function PasskeysCard() {
  const [passkeys, setPasskeys] = useState<PasskeyItem[] | null>(null);
  // Unknown until mounted: the server cannot tell whether this browser does WebAuthn.
  const [supported, setSupported] = useState<boolean | null>(null);
  const [mode, setMode] = useState<Mode>({ kind: "list" });
  const [busy, setBusy] = useState<Busy>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [nameErrors, setNameErrors] = useState<string[] | undefined>(undefined);
  const [focusKey, setFocusKey] = useState<{ key: string } | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const stepUp = useStepUp();

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      const res = await apiFetch("/api/account/passkeys", { signal });
      if (!res.ok) return setError(describeApiError(await readApiError(res)));
      setPasskeys(((await res.json()) as { passkeys: PasskeyItem[] }).passkeys);
    } catch {
      if (!signal?.aborted) setError(NETWORK_ERROR_MESSAGE);
    }
  }, []);

  useEffect(() => {
    setSupported(typeof window.PublicKeyCredential === "function");
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  useEffect(() => {
    if (!focusKey) return;
    rootRef.current?.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey.key)}"]`)?.focus();
  }, [focusKey]);

  function begin(kind: Exclude<Busy, null>) {
    setBusy(kind);
    setStatus(null);
    setError(null);
  }

  /** The answer of a step-up action: null when it failed (an error is shown) or the person cancelled. */
  async function settle(res: Response): Promise<Response | null> {
    if (res.ok) return res;
    if (isStepUpCancelled(res)) return null;
    const problem = await readApiError(res);
    if (res.status === 404) await load();
    setError(res.status === 404 ? "That passkey was already removed." : describeApiError(problem));
    return null;
  }

  async function add() {
    begin("add");
    setMode({ kind: "list" });
    try {
      const optionsRes = await apiFetch("/api/account/passkeys/options", { method: "POST" });
      if (!optionsRes.ok) {
        setError(describeApiError(await readApiError(optionsRes)));
      } else {
        const { challengeId, options } = (await optionsRes.json()) as {
          challengeId: string;
          options: Parameters<typeof startRegistration>[0]["optionsJSON"];
        };
        let response: Awaited<ReturnType<typeof startRegistration>> | null = null;
        try {
          response = await startRegistration({ optionsJSON: options });
        } catch (e) {
          const problem = ceremonyProblem(e);
          if (problem) setError(problem);
          else setStatus("No passkey was added.");
        }
        if (response) {
          const body = { challengeId, response };
          const res = await settle(await stepUp.run(() => apiFetch("/api/account/passkeys", jsonRequest("POST", body))));
          if (res) {
            const { passkey } = (await res.json()) as { passkey: PasskeyItem };
            setPasskeys((list) => [...(list ?? []).filter((p) => p.id !== passkey.id), passkey]);
            setStatus(`Passkey added as “${passkey.name}”. You can sign in with it now.`);
            setFocusKey({ key: `rename:${passkey.id}` });
          }
        }
      }
    } catch {
      setError(NETWORK_ERROR_MESSAGE);
    }
    setBusy(null);
  }

  async function rename(passkey: PasskeyItem, name: string) {
    const errors = validateFields(RenamePasskeyBodySchema, { name });
    if (hasFieldErrors(errors)) {
      setNameErrors(errors.name);
      return setFocusKey({ key: `name:${passkey.id}` });
    }
    setNameErrors(undefined);
    if (name.trim() === passkey.name) {
      setMode({ kind: "list" });
      return setFocusKey({ key: `rename:${passkey.id}` });
    }
    begin(`rename:${passkey.id}`);
    try {
      const url = `/api/account/passkeys/${encodeURIComponent(passkey.id)}`;
      const res = await settle(await stepUp.run(() => apiFetch(url, jsonRequest("PATCH", { name }))));
      if (res) {
        const { passkey: renamed } = (await res.json()) as { passkey: PasskeyItem };
        setPasskeys((list) => list?.map((p) => (p.id === renamed.id ? renamed : p)) ?? null);
        setMode({ kind: "list" });
        setStatus(`Renamed to “${renamed.name}”.`);
        setFocusKey({ key: `rename:${renamed.id}` });
      }
    } catch {
      setError(NETWORK_ERROR_MESSAGE);
    }
    setBusy(null);
  }

  async function remove(passkey: PasskeyItem) {
    begin(`remove:${passkey.id}`);
    try {
      const url = `/api/account/passkeys/${encodeURIComponent(passkey.id)}`;
      const res = await settle(await stepUp.run(() => apiFetch(url, { method: "DELETE" })));
      if (res) {
        setPasskeys((list) => list?.filter((p) => p.id !== passkey.id) ?? null);
        setMode({ kind: "list" });
        setStatus(`Removed “${passkey.name}”. It can no longer be used to sign in.`);
        setFocusKey({ key: "add" });
      }
    } catch {
      setError(NETWORK_ERROR_MESSAGE);
    }
    setBusy(null);
  }

  const locked = busy !== null;

  return (
    <Card
      id="passkeys"
      className="scroll-mt-6"
      title="Passkeys"
      description="Sign in with your fingerprint, face or screen lock instead of a password. Passkeys can’t be phished."
      actions={
        <Button data-focus-key="add" busy={busy === "add"} disabled={locked || supported === false} onClick={add}>
          {busy === "add" ? "Waiting for your passkey…" : "Add a passkey"}
        </Button>
      }
    >
      <div ref={rootRef} className="space-y-3">
        {supported === false ? (
          <p className="text-sm text-zinc-600">
            This browser can’t create passkeys. You can still sign in with the ones you have on other devices.
          </p>
        ) : null}
        <ErrorAlert message={error} />
        <StatusMessage message={status} />
        <div aria-busy={passkeys === null}>
          {passkeys === null ? (
            <p className="py-2 text-sm text-zinc-600">{error ? "Passkeys could not be loaded." : "Loading passkeys…"}</p>
          ) : passkeys.length === 0 ? (
            <p className="py-2 text-sm text-zinc-600">No passkeys yet. Add one to sign in without typing your password.</p>
          ) : (
            <ul className="divide-y divide-zinc-100">
              {passkeys.map((passkey) => (
                <PasskeyRow
                  key={passkey.id}
                  passkey={passkey}
                  mode={mode}
                  busy={busy}
                  locked={locked}
                  nameErrors={mode.kind === "rename" && mode.id === passkey.id ? nameErrors : undefined}
                  onMode={(next, focus) => {
                    setMode(next);
                    setNameErrors(undefined);
                    setStatus(null);
                    setError(null);
                    if (focus) setFocusKey({ key: focus });
                  }}
                  onRename={(name) => void rename(passkey, name)}
                  onRemove={() => void remove(passkey)}
                />
              ))}
            </ul>
          )}
        </div>
      </div>
      {stepUp.dialog}
    </Card>
  );
}

type RowProps = {
  passkey: PasskeyItem;
  mode: Mode;
  busy: Busy;
  locked: boolean;
  nameErrors: string[] | undefined;
  onMode: (mode: Mode, focus?: string) => void;
  onRename: (name: string) => void;
  onRemove: () => void;
};

function PasskeyRow({ passkey, mode, busy, locked, nameErrors, onMode, onRename, onRemove }: RowProps) {
  const formId = useId();
  const editing = mode.kind === "rename" && mode.id === passkey.id;
  const confirming = mode.kind === "remove" && mode.id === passkey.id;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get("name");
    onRename(typeof value === "string" ? value : "");
  }

  return (
    <li className="py-3">
      {editing ? (
        <form id={formId} onSubmit={onSubmit} noValidate className="flex flex-wrap items-start gap-2">
          <TextField
            label={`New name for ${passkey.name}`}
            name="name"
            defaultValue={passkey.name}
            maxLength={64}
            autoComplete="off"
            required
            data-focus-key={`name:${passkey.id}`}
            errors={nameErrors}
            className="min-w-0 flex-1 basis-56 sm:max-w-md [&>label]:sr-only [&_input]:mt-0"
          />
          <div className="flex gap-2">
            <Button type="submit" busy={busy === `rename:${passkey.id}`} className="h-10">
              {busy === `rename:${passkey.id}` ? "Saving…" : "Save"}
            </Button>
            <Button variant="secondary" disabled={locked} className="h-10" onClick={() => onMode({ kind: "list" }, `rename:${passkey.id}`)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2">
          <div className="min-w-0">
            <p className="text-sm font-medium break-words text-zinc-900">{passkey.name}</p>
            <p className="mt-0.5 text-xs text-zinc-600">
              Added {formatDateTime(passkey.createdAt)} ·{" "}
              {passkey.lastUsedAt ? (
                <>
                  Last used{" "}
                  <time dateTime={passkey.lastUsedAt} title={formatDateTime(passkey.lastUsedAt)}>
                    {formatRelative(passkey.lastUsedAt)}
                  </time>
                </>
              ) : (
                "Not used yet"
              )}
            </p>
          </div>
          {confirming ? null : (
            <div className="flex gap-1">
              <Button
                variant="ghost"
                size="sm"
                data-focus-key={`rename:${passkey.id}`}
                disabled={locked}
                onClick={() => onMode({ kind: "rename", id: passkey.id }, `name:${passkey.id}`)}
              >
                Rename<span className="sr-only"> {passkey.name}</span>
              </Button>
              <Button
                variant="danger-ghost"
                size="sm"
                data-focus-key={`remove:${passkey.id}`}
                disabled={locked}
                onClick={() => onMode({ kind: "remove", id: passkey.id }, `cancel-remove:${passkey.id}`)}
              >
                Remove<span className="sr-only"> {passkey.name}</span>
              </Button>
            </div>
          )}
        </div>
      )}
      {confirming ? (
        // biome-ignore lint/a11y/useSemanticElements: a <fieldset> would draw a border and a legend; this only groups two buttons.
        <div
          role="group"
          aria-label={`Confirm removing ${passkey.name}`}
          className="mt-3 rounded-md border border-red-200 bg-red-50/60 p-4"
        >
          <p className="text-sm text-zinc-900">
            Remove “{passkey.name}”? You won’t be able to sign in with it any more. The passkey may stay on the device until you delete it
            there too.
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button
              variant="secondary"
              size="sm"
              data-focus-key={`cancel-remove:${passkey.id}`}
              disabled={locked}
              onClick={() => onMode({ kind: "list" }, `remove:${passkey.id}`)}
            >
              Cancel
            </Button>
            <Button variant="danger" size="sm" busy={busy === `remove:${passkey.id}`} onClick={onRemove}>
              {busy === `remove:${passkey.id}` ? "Removing…" : "Remove passkey"}
            </Button>
          </div>
        </div>
      ) : null}
    </li>
  );
}
