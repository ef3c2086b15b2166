import { createHash } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";

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
  let a = address.trim().toLowerCase();
  if (a.startsWith("[") && a.endsWith("]")) a = a.slice(1, -1);
  const zone = a.indexOf("%");
  if (zone !== -1) a = a.slice(0, zone);
  if (isIPv4(a)) return a;
  if (!isIPv6(a)) return a;
  const groups = expandIPv6(a);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

function expandIPv6(a: string): number[] {
  const [head = "", tail] = a.split("::");
  const parse = (part: string): number[] =>
    part === ""
      ? []
      : part.split(":").flatMap((g) => {
          if (!g.includes(".")) return [Number.parseInt(g, 16)];
          const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = g.split(".").map(Number);
          return [(b0 << 8) | b1, (b2 << 8) | b3];
        });
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
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
