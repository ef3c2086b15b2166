import { env } from "@/lib/env";

// server.ts overwrites this header with the socket's address on every request, so a client
// cannot choose it; X-Forwarded-For is believed only when TRUST_PROXY says a proxy sets it.
export const CLIENT_ADDRESS_HEADER = "x-latchkey-client-address";

export function clientAddress(headers: Headers): string {
  if (env().TRUST_PROXY) {
    // The right-most entry is the one our own proxy appended; entries left of it are the
    // client's claims and can be forged.
    const forwarded = headers.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean);
    const last = forwarded?.at(-1);
    if (last) return normaliseAddress(last);
  }
  return normaliseAddress(headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown");
}

function normaliseAddress(address: string): string {
  const trimmed = address.slice(0, 64);
  return trimmed.startsWith("::ffff:") ? trimmed.slice(7) : trimmed;
}

export function userAgent(headers: Headers): string | null {
  const ua = headers.get("user-agent");
  return ua ? ua.slice(0, 512) : null;
}
