"use client";
// "Invite user": the admin names the account; the person sets their own password through a
// one-time /reset-password link, mailed to them, or shown here to pass on when no mail was sent.
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert, StatusMessage } from "@/components/ui/messages";
import { TextField } from "@/components/ui/text-field";
import { formText, useApiForm } from "@/components/ui/use-api-form";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";
import { CopyField } from "./copy-field";
import type { AdminUser } from "./types";

const FIELDS = ["username", "email", "role"] as const;

type Created = { user: AdminUser; setupUrl: string | null; email: string | null };

export function InviteUser({ onCreated }: { onCreated: (user: AdminUser) => void }) {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const form = useApiForm(FIELDS, "username");
  const toggleRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const roleId = useId();
  const headingId = useId();

  useEffect(() => {
    if (open) form.formRef.current?.querySelector<HTMLInputElement>('[name="username"]')?.focus();
  }, [open, form.formRef]);

  function close() {
    setOpen(false);
    setCreated(null);
    form.clear();
    toggleRef.current?.focus();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.busy) return;
    const element = event.currentTarget;
    const data = new FormData(element);
    const username = formText(data, "username");
    const email = formText(data, "email");
    const role = formText(data, "role") === "admin" ? "admin" : "user";
    if (!username) return form.showFieldErrors({ username: ["Enter a username."] });
    form.clear();
    setCreated(null);
    form.setBusy(true);
    try {
      const res = await apiFetch("/api/admin/users", jsonRequest("POST", { username, ...(email ? { email } : {}), role }));
      if (!res.ok) {
        await form.showResponseError(res);
        return;
      }
      const body = (await res.json()) as { user: AdminUser; setup_url?: string };
      setCreated({ user: body.user, setupUrl: body.setup_url ?? null, email: body.user.email ?? (email || null) });
      element.reset();
      onCreated(body.user);
    } catch {
      form.showNetworkError();
    } finally {
      form.setBusy(false);
    }
  }

  return (
    <div className="space-y-3">
      <Button ref={toggleRef} aria-expanded={open} aria-controls={panelId} onClick={() => (open ? close() : setOpen(true))}>
        Invite user
      </Button>
      <section
        id={panelId}
        hidden={!open}
        aria-labelledby={headingId}
        className="rounded-lg border border-zinc-200 bg-white px-5 py-4 shadow-sm"
      >
        <h2 id={headingId} className="text-base font-semibold text-zinc-900">
          Invite a user
        </h2>
        <p className="mt-1 text-sm text-zinc-600">
          They choose their own password through a one-time link, emailed to them when you give an address.
        </p>
        <form ref={form.formRef} onSubmit={onSubmit} noValidate className="mt-4 space-y-4">
          <ErrorAlert message={form.message} />
          <div className="grid gap-4 sm:grid-cols-[1fr_1fr_auto]">
            <TextField
              label="Username"
              name="username"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              required
              errors={form.fieldErrors.username}
            />
            <TextField
              label="Email"
              labelNote="optional"
              name="email"
              type="email"
              autoComplete="off"
              spellCheck={false}
              errors={form.fieldErrors.email}
            />
            <div>
              <label htmlFor={roleId} className="block text-sm font-medium text-zinc-900">
                Role
              </label>
              <select
                id={roleId}
                name="role"
                defaultValue="user"
                aria-invalid={form.fieldErrors.role ? true : undefined}
                className="mt-1.5 block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm shadow-sm sm:w-32"
              >
                <option value="user">User</option>
                <option value="admin">Admin</option>
              </select>
              {form.fieldErrors.role ? <p className="mt-1.5 text-sm text-red-700">{form.fieldErrors.role.join(" ")}</p> : null}
            </div>
          </div>
          <div className="flex flex-wrap gap-3">
            <Button type="submit" busy={form.busy}>
              {form.busy ? "Inviting…" : "Send invitation"}
            </Button>
            <Button variant="secondary" disabled={form.busy} onClick={close}>
              Close
            </Button>
          </div>
        </form>
        <StatusMessage
          className="mt-4"
          message={
            created
              ? created.setupUrl
                ? `Created ${created.user.username}. No email was sent: give them the link below to set their password.`
                : `Created ${created.user.username}. Invitation sent to ${created.email ?? "their email address"}.`
              : null
          }
        />
        {created?.setupUrl ? (
          <div className="mt-3">
            <CopyField
              label={`Setup link for ${created.user.username}`}
              value={created.setupUrl}
              hint="It works once. Send it privately: whoever opens it sets the password."
            />
          </div>
        ) : null}
      </section>
    </div>
  );
}
