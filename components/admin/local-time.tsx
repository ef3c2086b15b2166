"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime, formatRelative, formatUtcDateTime } from "@/lib/client/format";

const subscribeNever = () => () => {};

/** False during the server render and hydration, true after: text that depends on the browser's clock or zone waits for it. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
}

/**
 * A time in the viewer's zone ("3 minutes ago" with `relative`). The server renders it in UTC,
 * so the first paint matches the HTML whatever the server's zone is.
 */
export function LocalTime({ iso, relative = false }: { iso: string; relative?: boolean }) {
  const hydrated = useHydrated();
  const exact = hydrated ? formatDateTime(iso) : formatUtcDateTime(iso);
  return (
    <time dateTime={iso} title={relative ? exact : undefined}>
      {relative && hydrated ? formatRelative(iso) : exact}
    </time>
  );
}
