"use client";
// Deleting an account cannot be undone, so the admin types its username to confirm (the way
// GitHub confirms deleting a repository). A native modal <dialog>: the rest of the page is inert,
// focus stays inside, Escape cancels, and focus returns to the button that opened it.
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";

type Props = {
  /** The account to delete; null keeps the dialog closed. */
  username: string | null;
  onCancel: () => void;
  /** Deletes; resolves with an error message to show, or null once done (the caller then closes the dialog). */
  onDelete: () => Promise<string | null>;
};

export function DeleteUserDialog({ username, onCancel, onDelete }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [typed, setTyped] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const descriptionId = useId();
  const open = username !== null;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setTyped("");
      setFieldError(null);
      setError(null);
      dialog.showModal();
      inputRef.current?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || !username) return;
    if (typed.trim().toLowerCase() !== username.toLowerCase()) {
      setFieldError(`Type ${username} exactly to confirm.`);
      inputRef.current?.focus();
      return;
    }
    setFieldError(null);
    setError(null);
    setBusy(true);
    const problem = await onDelete();
    setBusy(false);
    if (problem) setError(problem);
  }

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onCancel={(event) => {
        if (busy) event.preventDefault();
      }}
      onClose={() => {
        if (open) onCancel();
      }}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/50"
    >
      <form method="post" onSubmit={onSubmit} noValidate className="space-y-5 px-6 py-6">
        <div>
          <h2 id={titleId} className="text-lg font-semibold tracking-tight break-all text-zinc-900">
            Delete {username}?
          </h2>
          <p id={descriptionId} className="mt-1 text-sm text-zinc-600">
            This permanently removes the account with its sessions, authenticator app and passkeys. Its audit events stay, shown as a
            deleted account. This cannot be undone.
          </p>
        </div>
        <ErrorAlert message={error} />
        <TextField
          ref={inputRef}
          label={`Type ${username ?? ""} to confirm`}
          name="confirm-username"
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          errors={fieldError ? [fieldError] : undefined}
        />
        <div className="flex flex-wrap justify-end gap-3 pt-1">
          <Button variant="secondary" disabled={busy} onClick={() => dialogRef.current?.close()}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" busy={busy}>
            {busy ? "Deleting…" : "Delete account"}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
