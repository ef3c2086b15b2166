import { config } from "@/lib/config";
import { canonicalAddress } from "./address";

// server.ts overwrites this header with the socket's address on every request, so a client
// cannot choose it; X-Forwarded-For is believed only when TRUST_PROXY says a proxy sets it.
export const CLIENT_ADDRESS_HEADER = "x-latchkey-client-address";

export function clientAddress(headers: Headers): string {
  if (config().TRUST_PROXY) {
    // The right-most entry is the one our own proxy appended; entries left of it are the
    // client's claims and can be forged.
    const forwarded = headers
      .get("x-forwarded-for")
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const last = forwarded?.at(-1);
    if (last) return normaliseAddress(last);
  }
  return normaliseAddress(headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown");
}

// Every spelling of one address must give one key: throttle counters, sessions and the audit
// log would otherwise count ::ffff:0a5d:1754 and 10.93.23.84 as two clients.
function normaliseAddress(address: string): string {
  return canonicalAddress(address);
}

export function userAgent(headers: Headers): string | null {
  const ua = headers.get("user-agent");
  return ua ? ua.slice(0, 512) : null;
}
