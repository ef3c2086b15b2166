"use client";
// Shared by the pages that mailed links open (/reset-password, /verify-email, /confirm-email).
import { useEffect, useRef } from "react";

/**
 * Takes the mailed token out of the address bar once the page has loaded. The form keeps it in a
 * hidden field; the address no longer carries it, so it cannot leak later through the history,
 * a bookmark, a shared screen or a copied URL.
 */
export function useTokenOutOfAddressBar(): void {
  useEffect(() => {
    const url = new URL(window.location.href);
    if (!url.searchParams.has("token")) return;
    url.searchParams.delete("token");
    // Next.js keeps its router in step with a native replaceState.
    window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
  }, []);
}

/**
 * A ref for the card's heading that receives focus whenever `state` changes (a form replaced by
 * its outcome): the button that was pressed is gone, and the new heading says what happened.
 */
export function useHeadingFocus<T>(state: T) {
  const ref = useRef<HTMLHeadingElement>(null);
  const shown = useRef(state);
  useEffect(() => {
    if (shown.current === state) return;
    shown.current = state;
    ref.current?.focus();
  }, [state]);
  return ref;
}

/** An inline text link, as on the sign-in page. */
export const LINK_CLASSES = "font-medium text-indigo-700 underline-offset-4 hover:underline";
