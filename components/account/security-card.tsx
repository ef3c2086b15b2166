"use client";
// The account's "Two-factor authentication" section (id="security"): whether an authenticator
// app is on, setting one up (QR code drawn in the browser, the key for typing, a first code),
// the recovery codes shown once, new codes, and turning it off. Enrolling, new codes and turning
// off need a fresh sign-in: they go through useStepUp, which asks "Confirm it's you" when needed.
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorAlert, StatusMessage } from "@/components/ui/messages";
import { describeApiError, NETWORK_ERROR_MESSAGE, readApiError } from "@/lib/client/api-error";
import { apiFetch } from "@/lib/client/api-fetch";
import { RecoveryCodesPanel } from "./recovery-codes-panel";
import { isStepUpCancelled, useStepUp } from "./step-up-dialog";
import { TotpEnrolment } from "./totp-enrolment";

type Factors = { totp: boolean; passkeys: number };

type View =
  | { kind: "status" }
  | { kind: "confirm-off" }
  | { kind: "enrolling"; secret: string; qrCode: string }
  | { kind: "codes"; codes: string[]; reason: "enabled" | "replaced" };

type Busy = "enrol" | "codes" | "off" | null;
/** Which control gets focus once the view it belongs to is back (the one pressed may have vanished). */
type FocusKey = "enrol" | "codes" | "off" | "cancel-off";

const INFO_BOX = "rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-950";
const WARNING_BOX = "rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900";

/** `?recovery-codes-low=N` (set by the login form after a recovery code): N, or null. */
function lowCodes(value: string | null): number | null {
  if (value === null || !/^\d{1,2}$/.test(value)) return null;
  return Number(value);
}

async function qrDataUrl(uri: string): Promise<string> {
  // Loaded only when needed: the account page does not carry the QR encoder otherwise.
  const QRCode = await import("qrcode");
  const svg = await QRCode.toString(uri, {
    type: "svg",
    margin: 2,
    errorCorrectionLevel: "M",
    color: { dark: "#18181b", light: "#ffffff" },
  });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function SecurityCard() {
  const params = useSearchParams();
  const low = lowCodes(params.get("recovery-codes-low"));
  const mustEnrol = params.get("enrol") === "second-factor";

  const [factors, setFactors] = useState<Factors | null>(null);
  const [username, setUsername] = useState("");
  const [view, setView] = useState<View>({ kind: "status" });
  const [busy, setBusy] = useState<Busy>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [codesReplaced, setCodesReplaced] = useState(false);
  const [focusRequest, setFocusRequest] = useState<{ key: FocusKey } | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const stepUp = useStepUp({ totp: factors?.totp });

  useEffect(() => {
    const controller = new AbortController();
    apiFetch("/api/me", { signal: controller.signal })
      .then(async (res) => {
        if (!res.ok) return setError(describeApiError(await readApiError(res)));
        const body = (await res.json()) as { user: { username: string; secondFactors?: Factors } };
        setUsername(body.user.username);
        setFactors(body.user.secondFactors ?? { totp: false, passkeys: 0 });
      })
      .catch(() => {
        if (!controller.signal.aborted) setError(NETWORK_ERROR_MESSAGE);
      });
    return () => controller.abort();
  }, []);

  useEffect(() => {
    if (!focusRequest) return;
    rootRef.current?.querySelector<HTMLElement>(`[data-focus-key="${focusRequest.key}"]`)?.focus();
  }, [focusRequest]);

  const focusOn = useCallback((key: FocusKey) => setFocusRequest({ key }), []);

  function begin(kind: Exclude<Busy, null>) {
    setBusy(kind);
    setStatus(null);
    setError(null);
  }

  /** The answer of a step-up action: null when it failed or was cancelled (an error is shown for a failure). */
  async function settle(res: Response): Promise<Response | null> {
    if (res.ok) return res;
    if (isStepUpCancelled(res)) return null;
    const problem = await readApiError(res);
    if (problem.code === "totp_already_enabled") setFactors((f) => f && { ...f, totp: true });
    if (problem.code === "totp_not_enabled") setFactors((f) => f && { ...f, totp: false });
    setError(describeApiError(problem));
    return null;
  }

  async function startEnrolment() {
    begin("enrol");
    try {
      const res = await settle(await stepUp.run(() => apiFetch("/api/account/totp", { method: "POST" })));
      if (res) {
        const body = (await res.json()) as { secret: string; otpauth_uri: string };
        setView({ kind: "enrolling", secret: body.secret, qrCode: await qrDataUrl(body.otpauth_uri) });
      }
    } catch {
      setError(NETWORK_ERROR_MESSAGE);
    }
    setBusy(null);
  }

  async function newRecoveryCodes() {
    begin("codes");
    try {
      const res = await settle(await stepUp.run(() => apiFetch("/api/account/recovery-codes", { method: "POST" })));
      if (res) {
        const body = (await res.json()) as { recovery_codes: string[] };
        setCodesReplaced(true);
        setView({ kind: "codes", codes: body.recovery_codes, reason: "replaced" });
      }
    } catch {
      setError(NETWORK_ERROR_MESSAGE);
    }
    setBusy(null);
  }

  async function turnOff() {
    begin("off");
    try {
      const res = await settle(await stepUp.run(() => apiFetch("/api/account/totp", { method: "DELETE" })));
      if (res) {
        setFactors((f) => f && { ...f, totp: false });
        setView({ kind: "status" });
        setStatus("Two-factor authentication is off. Signing in now asks only for your password.");
        focusOn("enrol");
      }
    } catch {
      setError(NETWORK_ERROR_MESSAGE);
    }
    setBusy(null);
  }

  const totpOn = factors?.totp === true;
  const hasFactor = factors !== null && (factors.totp || factors.passkeys > 0);
  const locked = busy !== null;

  return (
    <Card
      id="security"
      className="scroll-mt-6"
      title="Two-factor authentication"
      description="A second step when you sign in: after your password, a code from an authenticator app on your phone."
    >
      <div ref={rootRef} className="space-y-5">
        {mustEnrol ? (
          <div className={INFO_BOX}>
            {hasFactor ? (
              <p>
                Your account has a second factor now.{" "}
                <Link href="/admin" className="font-medium underline underline-offset-4">
                  Go to Admin
                </Link>
              </p>
            ) : (
              <>
                <p className="font-semibold">Set up a second factor to use the admin pages</p>
                <p className="mt-0.5">
                  Administrators must sign in with more than a password on this server. Set up an authenticator app below, or add a passkey,
                  then go back to Admin.
                </p>
              </>
            )}
          </div>
        ) : null}
        {low !== null && !codesReplaced && factors?.totp !== false ? (
          <div className={WARNING_BOX}>
            <p className="font-semibold">
              {low === 0 ? "You have no recovery codes left" : `You have ${low} recovery ${low === 1 ? "code" : "codes"} left`}
            </p>
            <p className="mt-0.5">Get new ones now, so you can still sign in if you lose your phone.</p>
          </div>
        ) : null}

        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
          <dt className="text-zinc-600">Authenticator app</dt>
          <dd>
            {factors === null ? (
              <span className="text-zinc-600">{error ? "Unknown" : "Checking…"}</span>
            ) : totpOn ? (
              <Badge tone="green">On</Badge>
            ) : (
              <Badge>Off</Badge>
            )}
          </dd>
        </dl>

        <ErrorAlert message={error} />
        <StatusMessage message={status} />

        {view.kind === "enrolling" ? (
          <TotpEnrolment
            secret={view.secret}
            qrCode={view.qrCode}
            onConfirmed={(codes) => {
              setFactors((f) => ({ totp: true, passkeys: f?.passkeys ?? 0 }));
              setView({ kind: "codes", codes, reason: "enabled" });
            }}
            onCancel={() => {
              setView({ kind: "status" });
              focusOn("enrol");
            }}
          />
        ) : view.kind === "codes" ? (
          <RecoveryCodesPanel
            codes={view.codes}
            username={username}
            reason={view.reason}
            onDone={() => {
              setView({ kind: "status" });
              setStatus(
                view.reason === "enabled"
                  ? "Two-factor authentication is on. Signing in now asks for a code from your app."
                  : "Your new recovery codes are ready to use.",
              );
              focusOn("codes");
            }}
          />
        ) : factors === null ? null : totpOn ? (
          <div className="space-y-4">
            <p className="max-w-prose text-sm text-zinc-700">
              Signing in asks for a code from your authenticator app after your password. Lost your recovery codes, or used most of them?
              New ones replace the old ones.
            </p>
            {view.kind === "confirm-off" ? (
              // biome-ignore lint/a11y/useSemanticElements: a <fieldset> would draw a border and a legend; this only groups two buttons.
              <div
                role="group"
                aria-label="Confirm turning off two-factor authentication"
                className="rounded-md border border-red-200 bg-red-50/60 p-4"
              >
                <p className="text-sm text-zinc-900">
                  Turn off two-factor authentication? Signing in will ask only for your password, and your recovery codes stop working.
                </p>
                <div className="mt-3 flex flex-wrap gap-2">
                  <Button
                    variant="secondary"
                    size="sm"
                    data-focus-key="cancel-off"
                    disabled={locked}
                    onClick={() => {
                      setView({ kind: "status" });
                      focusOn("off");
                    }}
                  >
                    Cancel
                  </Button>
                  <Button variant="danger" size="sm" busy={busy === "off"} onClick={turnOff}>
                    {busy === "off" ? "Turning off…" : "Turn off two-factor authentication"}
                  </Button>
                </div>
              </div>
            ) : (
              <div className="flex flex-wrap gap-2">
                <Button
                  variant="secondary"
                  size="sm"
                  data-focus-key="codes"
                  busy={busy === "codes"}
                  disabled={locked}
                  onClick={newRecoveryCodes}
                >
                  {busy === "codes" ? "Getting new codes…" : "Get new recovery codes"}
                </Button>
                <Button
                  variant="danger-ghost"
                  size="sm"
                  data-focus-key="off"
                  disabled={locked}
                  onClick={() => {
                    setStatus(null);
                    setError(null);
                    setView({ kind: "confirm-off" });
                    focusOn("cancel-off");
                  }}
                >
                  Turn off
                </Button>
              </div>
            )}
          </div>
        ) : (
          <div className="space-y-4">
            <p className="max-w-prose text-sm text-zinc-700">
              With an authenticator app, someone who learns your password still can’t sign in as you: they would need your phone too.
            </p>
            <Button data-focus-key="enrol" busy={busy === "enrol"} onClick={startEnrolment}>
              {busy === "enrol" ? "Starting…" : "Set up an authenticator app"}
            </Button>
          </div>
        )}
      </div>
      {stepUp.dialog}
    </Card>
  );
}
