"use client";
// One admin write from the browser: through the "Confirm it's you" step when the server asks for
// it, with every outcome a caller must tell apart (done, cancelled, refused, unreachable).
import { isStepUpCancelled, type StepUp } from "@/components/account/step-up-dialog";
import { type ApiError, NETWORK_ERROR_MESSAGE, readApiError } from "@/lib/client/api-error";
import { apiFetch } from "@/lib/client/api-fetch";

/** `error` is null when the person closed the "Confirm it's you" dialog: nothing was done, say nothing. */
export type Sent = { ok: true; res: Response } | { ok: false; error: ApiError | null };

export async function adminSend(run: StepUp["run"], url: string, init: RequestInit): Promise<Sent> {
  try {
    const res = await run(() => apiFetch(url, init));
    if (isStepUpCancelled(res)) return { ok: false, error: null };
    if (!res.ok) return { ok: false, error: await readApiError(res) };
    return { ok: true, res };
  } catch {
    return { ok: false, error: { status: 0, code: "network_error", message: NETWORK_ERROR_MESSAGE, fields: {}, retryAfterSeconds: null } };
  }
}

export function userPath(id: string, rest = ""): string {
  return `/api/admin/users/${encodeURIComponent(id)}${rest}`;
}
