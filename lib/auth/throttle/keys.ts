import { createHash } from "node:crypto";
import { parseAddress } from "@/lib/http/address";

/**
 * The account as typed, normalised the way usernames and emails are stored (NFKC, lowercase),
 * so "Alice" and "alice" share a counter. Deliberately not resolved to a user id: an unknown
 * name must be throttled exactly like a real one, or the 429s would reveal which names exist.
 */
export function normaliseAccount(account: string): string {
  return account.normalize("NFKC").trim().toLowerCase();
}

/**
 * The bucket an address counts in. One IPv6 subscriber usually holds a whole /64 (RFC 6177),
 * so counting single IPv6 addresses would give an attacker 2^64 fresh counters; IPv4-mapped
 * IPv6 is the IPv4 address it carries. Anything unparseable counts as itself.
 */
export function addressBucket(address: string): string {
  const parsed = parseAddress(address);
  if (parsed === null) return address.trim().toLowerCase();
  if (parsed.kind === "ipv4") return parsed.text;
  return `${parsed.groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/**
 * The stored counter key. Hashed so the counter table holds no usernames, emails or addresses
 * in plain text; JSON-encoding the parts keeps ("a:b", "c") and ("a", "b:c") apart. This is not
 * secrecy against someone holding the table (IPv4 space and username guesses are cheap to hash),
 * only no personal data at rest in a table nobody thinks of as personal.
 */
export function counterKey(kind: "pair" | "account" | "address" | "requests" | "mail", ...parts: string[]): string {
  return createHash("sha256")
    .update(JSON.stringify([kind, ...parts]))
    .digest("base64url");
}
