"use client";

import { useState } from "react";
import { describeApiError } from "@/lib/client/api-error";
import type { Sent } from "./admin-request";
import type { Notice } from "./types";

/** A section's own success or error line, next to the button that caused it. */
export function useNotice() {
  const [notice, setNotice] = useState<Notice | null>(null);
  return {
    notice,
    success: (text: string) => setNotice({ tone: "success", text }),
    error: (text: string) => setNotice({ tone: "error", text }),
    clear: () => setNotice(null),
    /** Shows why a request failed (nothing when the person cancelled "Confirm it's you"). */
    failed(sent: Extract<Sent, { ok: false }>, username: string) {
      if (!sent.error) return setNotice(null);
      setNotice({ tone: "error", text: sent.error.status === 404 ? `${username} no longer exists.` : describeApiError(sent.error) });
    },
  };
}
