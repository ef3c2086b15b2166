// `?next=` is attacker-controlled: only a same-origin path may come back out, otherwise the
// login page becomes an open redirect (OWASP "Unvalidated Redirects and Forwards").
const MAX_LENGTH = 2048;
// Browsers strip tabs/newlines and treat "\" like "/" in http(s) URLs, so "/\t/evil.com" and
// "/\\evil.com" both reach another host; anything whitespace-like or a control is refused outright.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const FORBIDDEN_CHARACTERS = /[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff\\]/;
const PROBE_ORIGIN = "http://latchkey.invalid";

function isPlainPath(value: string): boolean {
  if (!value.startsWith("/")) return false;
  if (value.startsWith("//")) return false;
  return !FORBIDDEN_CHARACTERS.test(value);
}

/** Every percent-decoding of `value` down to a fixed point (at most a few rounds), or null if malformed. */
function decodings(value: string): string[] | null {
  const out = [value];
  let current = value;
  for (let round = 0; round < 3; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) break;
    out.push(next);
    current = next;
  }
  return out;
}

/**
 * Returns `value` unchanged when it is a same-origin path ("/account?tab=1"), otherwise null.
 * Encoded forms are checked too ("/%2F%2Fevil.com"), because a server or a later hop may decode.
 */
export function safeNext(value: unknown): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return null;
  const forms = decodings(value);
  if (!forms?.every(isPlainPath)) return null;
  try {
    const url = new URL(value, PROBE_ORIGIN);
    if (url.origin !== PROBE_ORIGIN) return null;
  } catch {
    return null;
  }
  return value;
}

/** First value of a Next.js searchParams entry. */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The address a form posts back to without JavaScript (useActionState's permalink): its page and
 * `next`, nothing else. The answer's form state is matched by this address rather than by where
 * the form sat in the component tree, so a form served from a prerendered copy (another root
 * layout) gets its errors back from the page rendered per request.
 */
export function formPermalink(path: string, next: string | null): string {
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}
