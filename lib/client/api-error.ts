// Reads the server's error catalogue shape ({code, message, fields?}) from any failed response,
// falling back to a sentence a person can act on when the body is not ours (a proxy's HTML page).
import { formatWait } from "./format";

export type ApiError = {
  status: number;
  code: string;
  message: string;
  fields: Record<string, string[]>;
  /** Seconds from Retry-After on a 429 or 503, when the server sent one. */
  retryAfterSeconds: number | null;
};

const FALLBACK: Record<number, string> = {
  400: "The request could not be read. Reload the page and try again.",
  401: "Your session has ended. Sign in again.",
  403: "You don't have permission to do that.",
  404: "That no longer exists. It may have been removed already.",
  413: "That was too much data to send.",
  429: "Too many attempts.",
  503: "The service is temporarily unavailable. Try again in a moment.",
};

export const NETWORK_ERROR_MESSAGE = "Couldn't reach the server. Check your connection and try again.";

export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function toFields(value: unknown): Record<string, string[]> {
  if (!value || typeof value !== "object") return {};
  const fields: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(value)) {
    if (Array.isArray(messages)) fields[key] = messages.filter((m): m is string => typeof m === "string");
  }
  return fields;
}

export async function readApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON: keep the fallback sentence.
  }
  const record = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const code = typeof record.code === "string" ? record.code : `http_${res.status}`;
  const message =
    typeof record.message === "string" && record.message.trim() !== ""
      ? record.message
      : (FALLBACK[res.status] ?? "Something went wrong. Try again.");
  return {
    status: res.status,
    code,
    message,
    fields: toFields(record.fields),
    retryAfterSeconds: parseRetryAfter(res.headers.get("retry-after")),
  };
}

/** The sentence to show for a non-field error, with how long to wait on a 429. */
export function describeApiError(error: ApiError): string {
  // The login throttle's own message already names the wait; saying it twice reads as a glitch.
  if (error.status === 429 && error.retryAfterSeconds !== null && !/\btry again in\b/i.test(error.message)) {
    return `${error.message} Try again in ${formatWait(error.retryAfterSeconds)}.`;
  }
  return error.message;
}
