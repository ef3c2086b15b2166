import { AppError } from "@/lib/errors";

function describeWait(seconds: number): string {
  if (seconds < 120) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** The 429 every throttled operation answers, with Retry-After in whole seconds. */
export function tooManyAttempts(retryAfterSeconds: number, message?: string): AppError {
  const wait = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError("too_many_attempts", {
    message: message ?? `Too many attempts. Try again in ${describeWait(wait)}.`,
    headers: { "retry-after": String(wait) },
  });
}
