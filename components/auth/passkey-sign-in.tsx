"use client";
// "Sign in with a passkey" on the login page: options from the server (no username: the browser
// offers this site's passkeys), the browser's prompt, then POST /api/auth/passkey, which answers
// exactly like the password login. Hidden in browsers without WebAuthn.
import { startAuthentication } from "@simplewebauthn/browser";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/messages";
import { describeApiError, NETWORK_ERROR_MESSAGE, readApiError } from "@/lib/client/api-error";
import { apiFetch, jsonRequest } from "@/lib/client/api-fetch";

type RequestOptions = Parameters<typeof startAuthentication>[0]["optionsJSON"];

export function PasskeySignIn({ next }: { next: string | null }) {
  // Rendered on the server as nothing; shown once the browser says it can do WebAuthn.
  const [supported, setSupported] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setSupported(typeof window.PublicKeyCredential === "function");
  }, []);

  async function signIn() {
    setBusy(true);
    setError(null);
    try {
      const optionsRes = await apiFetch("/api/auth/passkey/options", { method: "POST" });
      if (!optionsRes.ok) {
        setError(describeApiError(await readApiError(optionsRes)));
        return setBusy(false);
      }
      const { challengeId, options } = (await optionsRes.json()) as { challengeId: string; options: RequestOptions };
      let response: Awaited<ReturnType<typeof startAuthentication>>;
      try {
        response = await startAuthentication({ optionsJSON: options });
      } catch (e) {
        const closed = e instanceof Error && (e.name === "NotAllowedError" || e.name === "AbortError");
        // Closing the prompt is a choice, not a failure: say nothing.
        if (!closed) setError("Your browser couldn’t use a passkey. Try again, or sign in with your password.");
        return setBusy(false);
      }
      const res = await apiFetch("/api/auth/passkey", jsonRequest("POST", { challengeId, response }));
      if (res.ok) {
        // A full navigation, so the middleware and server components see the new cookies.
        window.location.assign(next ?? "/dashboard");
        return;
      }
      setError(describeApiError(await readApiError(res)));
    } catch {
      setError(NETWORK_ERROR_MESSAGE);
    }
    setBusy(false);
  }

  if (!supported) return null;
  return (
    <div className="mt-6 space-y-3">
      <div className="flex items-center gap-3 text-xs text-zinc-500" aria-hidden="true">
        <span className="h-px flex-1 bg-zinc-200" />
        or
        <span className="h-px flex-1 bg-zinc-200" />
      </div>
      <ErrorAlert message={error} />
      <Button variant="secondary" className="w-full" busy={busy} onClick={signIn}>
        <KeyIcon />
        {busy ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </Button>
    </div>
  );
}

function KeyIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" className="size-4 shrink-0">
      <circle cx="7" cy="10" r="3.25" />
      <path d="M10.25 10H17.5M15 10v2.75M17.5 10v2" strokeLinecap="round" />
    </svg>
  );
}
