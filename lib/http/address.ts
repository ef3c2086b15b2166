import { isIPv4, isIPv6 } from "node:net";

// Stored in sessions and the audit log; an address longer than any real one is a client's invention.
const MAX_LENGTH = 64;

/**
 * One string per address, whatever its spelling, so that throttle counters, sessions and the audit
 * log cannot be split by writing the same address another way (::FFFF:10.0.0.1, ::ffff:a00:1,
 * 0:0:0:0:0:ffff:a00:1 and 10.0.0.1 are one client). IPv4-mapped IPv6 becomes the dotted IPv4 it
 * carries; other IPv6 becomes its RFC 5952 text (lower case, shortest form), without brackets or
 * zone id, since a zone only names a local interface. What does not parse is kept as given.
 */
export function canonicalAddress(address: string): string {
  const parsed = parseAddress(address);
  if (parsed === null) return address.slice(0, MAX_LENGTH);
  return parsed.kind === "ipv4" ? parsed.text : compress(parsed.groups);
}

export type ParsedAddress = { kind: "ipv4"; text: string } | { kind: "ipv6"; groups: number[] };

/**
 * An address in any spelling (brackets, zone id, upper case, IPv4-mapped IPv6), or null when it
 * is not one. IPv4-mapped IPv6 comes back as the IPv4 address it carries. Shared with the
 * throttle's buckets (lib/auth/throttle/keys.ts), so both read addresses alike.
 */
export function parseAddress(address: string): ParsedAddress | null {
  let a = address.trim().toLowerCase();
  if (a.startsWith("[") && a.endsWith("]")) a = a.slice(1, -1);
  const zone = a.indexOf("%");
  if (zone !== -1) a = a.slice(0, zone);
  if (isIPv4(a)) return { kind: "ipv4", text: a };
  if (!isIPv6(a)) return null;
  const groups = expandIPv6(a);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return { kind: "ipv4", text: [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join(".") };
  }
  return { kind: "ipv6", groups };
}

/** The eight 16-bit groups of an address isIPv6 accepted (without zone id). */
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

/** RFC 5952 §4.2: "::" replaces the longest run of two or more zero groups, the first if tied. */
function compress(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}
