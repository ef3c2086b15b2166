"use client";
// Shared state for forms that post to the JSON API: a busy flag, the server's field errors shown
// under each input, everything else in the alert region (or the error summary), and focus moved
// to what needs attention (the submit button was disabled while busy, which drops keyboard focus):
// the error summary when the form has one and it shows (several fields to fix, or a problem of no
// field), else the field itself, whose inline error is read with it. `initial` is what a server action
// answered to the same form posted without JavaScript (lib/actions/).
import { useCallback, useEffect, useRef, useState } from "react";
import { type ApiError, describeApiError, NETWORK_ERROR_MESSAGE, readApiError } from "@/lib/client/api-error";

export type FieldErrors = Record<string, string[]>;

type Initial = { fields?: FieldErrors; message?: string | null } | undefined;

export function useApiForm(fieldNames: readonly string[], fallbackFocus?: string, initial?: Initial) {
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLElement>(null);
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>(() => initial?.fields ?? {});
  const [message, setMessage] = useState<string | null>(() => initial?.message ?? null);
  const [focusRequest, setFocusRequest] = useState(0);

  useEffect(() => {
    if (focusRequest === 0 || !formRef.current) return;
    const form = formRef.current;
    // The summary renders only when there is more than one thing to fix (components/ui/error-summary.tsx).
    const target =
      summaryRef.current ??
      form.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      (fallbackFocus ? form.querySelector<HTMLElement>(`[name="${fallbackFocus}"]`) : null);
    target?.focus();
  }, [focusRequest, fallbackFocus]);

  const clear = useCallback(() => {
    setFieldErrors({});
    setMessage(null);
  }, []);

  /** Shows errors found before sending (e.g. passwords that do not match). */
  const showFieldErrors = useCallback((errors: FieldErrors) => {
    setFieldErrors(errors);
    setMessage(null);
    setFocusRequest((n) => n + 1);
  }, []);

  /** Shows a parsed API error: its fields under their inputs, anything else in the alert. */
  const showApiError = useCallback(
    (error: ApiError) => {
      const known: FieldErrors = {};
      const stray: string[] = [];
      for (const [name, messages] of Object.entries(error.fields)) {
        if (fieldNames.includes(name)) known[name] = messages;
        else stray.push(...messages);
      }
      setFieldErrors(known);
      if (stray.length > 0) setMessage(stray.join(" "));
      else setMessage(Object.keys(known).length > 0 ? null : describeApiError(error));
      setFocusRequest((n) => n + 1);
    },
    [fieldNames],
  );

  /** Reads and shows a failed response; returns the parsed error for callers that branch on its code. */
  const showResponseError = useCallback(
    async (res: Response): Promise<ApiError> => {
      const error = await readApiError(res);
      showApiError(error);
      return error;
    },
    [showApiError],
  );

  const showNetworkError = useCallback(() => {
    setFieldErrors({});
    setMessage(NETWORK_ERROR_MESSAGE);
    setFocusRequest((n) => n + 1);
  }, []);

  return {
    formRef,
    summaryRef,
    busy,
    setBusy,
    fieldErrors,
    message,
    setMessage,
    clear,
    showFieldErrors,
    showApiError,
    showResponseError,
    showNetworkError,
  };
}

/** The trimmed text of a form field ("" when absent); passwords are read untrimmed with formPassword. */
export function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** Passwords are sent exactly as typed: no trimming, no normalisation (the server decides). */
export function formPassword(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value : "";
}
