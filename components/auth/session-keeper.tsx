"use client";
// Renews the access token shortly before it expires while the page is visible, so the person is
// never sent through a redirect or shown a 401. Hidden tabs do not renew on a timer (an idle
// background tab must not keep a session alive forever); they catch up when shown again, and
// apiFetch covers anything that slips through.
import { useEffect } from "react";
import { isRefreshDue, refreshDelay, retryDelay } from "@/lib/client/refresh-schedule";
import { loginUrlForCurrentPage, refreshSession, subscribeAuthEvents } from "@/lib/client/session";

export function SessionKeeper({ accessExpiresAt }: { accessExpiresAt: number }) {
  useEffect(() => {
    let expiresAt = accessExpiresAt;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const isVisible = () => document.visibilityState === "visible";

    function schedule(delay: number) {
      clearTimeout(timer);
      if (!stopped) timer = setTimeout(onTimer, delay);
    }

    async function renew() {
      const result = await refreshSession();
      if (stopped) return;
      if (result.status === "refreshed") {
        failures = 0;
        expiresAt = result.accessExpiresAt;
        schedule(refreshDelay(expiresAt, Date.now()));
      } else if (result.status === "signed-out") {
        stopped = true;
        window.location.assign(loginUrlForCurrentPage());
      } else {
        // 503 or offline: keep the session and try again later.
        failures++;
        schedule(retryDelay(failures));
      }
    }

    function onTimer() {
      if (isVisible()) void renew();
      // Hidden: wait for visibilitychange.
    }

    function onVisible() {
      if (isVisible() && isRefreshDue(expiresAt, Date.now())) void renew();
    }

    const unsubscribe = subscribeAuthEvents((event) => {
      if (event.type === "refreshed") {
        // This tab's own renewals arrive here as well as other tabs'; both move the schedule.
        failures = 0;
        expiresAt = event.accessExpiresAt;
        schedule(refreshDelay(expiresAt, Date.now()));
      } else if (event.fromOtherTab) {
        stopped = true;
        clearTimeout(timer);
        window.location.assign("/login");
      }
    });

    schedule(refreshDelay(expiresAt, Date.now()));
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener("online", onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("online", onVisible);
    };
  }, [accessExpiresAt]);

  return null;
}
