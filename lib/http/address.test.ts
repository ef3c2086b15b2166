import { afterEach, describe, expect, it } from "vitest";
import { reloadConfig } from "@/lib/config";
import { canonicalAddress } from "./address";
import { CLIENT_ADDRESS_HEADER, clientAddress } from "./client-info";

afterEach(() => {
  delete process.env.TRUST_PROXY;
  reloadConfig();
});

const SPELLINGS: [string, string][] = [
  // IPv4-mapped IPv6, every way it can be written, is the IPv4 address it carries.
  ["10.93.23.84", "10.93.23.84"],
  ["::ffff:10.93.23.84", "10.93.23.84"],
  ["::FFFF:10.93.23.84", "10.93.23.84"],
  ["::ffff:0a5d:1754", "10.93.23.84"],
  ["::ffff:a5d:1754", "10.93.23.84"],
  ["::FFFF:0A5D:1754", "10.93.23.84"],
  ["0:0:0:0:0:ffff:a5d:1754", "10.93.23.84"],
  ["0000:0000:0000:0000:0000:ffff:0a5d:1754", "10.93.23.84"],
  ["0:0:0:0:0:FFFF:10.93.23.84", "10.93.23.84"],
  ["[::ffff:10.93.23.84]", "10.93.23.84"],
  ["::ffff:127.0.0.1", "127.0.0.1"],
  // Other IPv6: RFC 5952 text, no brackets, no zone id.
  ["::1", "::1"],
  ["[::1]", "::1"],
  ["0:0:0:0:0:0:0:1", "::1"],
  ["::", "::"],
  ["fe80::1%eth0", "fe80::1"],
  ["[fe80::1%25eth0]", "fe80::1"],
  ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
  ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
  ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
  ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
  ["2001:db8::1:0:0:0:1", "2001:db8:0:1::1"],
  ["2001:DB8:A::", "2001:db8:a::"],
  ["::ffff:0:a5d:1754", "::ffff:0:a5d:1754"],
  ["64:ff9b::10.93.23.84", "64:ff9b::a5d:1754"],
  // Anything else stays as given, at most 64 characters.
  ["unknown", "unknown"],
  ["010.93.23.84", "010.93.23.84"],
  ["10.93.23.84:443", "10.93.23.84:443"],
  ["::ffff:10.93.23.256", "::ffff:10.93.23.256"],
  ["x".repeat(100), "x".repeat(64)],
];

describe("canonicalAddress", () => {
  it.each(SPELLINGS)("%s → %s", (spelling, canonical) => {
    expect(canonicalAddress(spelling)).toBe(canonical);
  });

  it("is idempotent", () => {
    for (const [, canonical] of SPELLINGS) expect(canonicalAddress(canonical), canonical).toBe(canonical);
  });
});

describe("clientAddress uses the canonical form", () => {
  const mapped = ["::ffff:0a5d:1754", "::FFFF:10.93.23.84", "0:0:0:0:0:ffff:a5d:1754", "10.93.23.84"];

  it("for the socket address server.ts records", () => {
    for (const spelling of mapped) expect(clientAddress(new Headers({ [CLIENT_ADDRESS_HEADER]: spelling })), spelling).toBe("10.93.23.84");
    expect(clientAddress(new Headers({ [CLIENT_ADDRESS_HEADER]: "2001:DB8:0:0:0:0:0:1" }))).toBe("2001:db8::1");
    expect(clientAddress(new Headers())).toBe("unknown");
  });

  it("for the right-most X-Forwarded-For entry when TRUST_PROXY is on", () => {
    process.env.TRUST_PROXY = "1";
    reloadConfig();
    for (const spelling of mapped) {
      const headers = new Headers({ [CLIENT_ADDRESS_HEADER]: "127.0.0.1", "x-forwarded-for": `6.6.6.6, ${spelling}` });
      expect(clientAddress(headers), spelling).toBe("10.93.23.84");
    }
    expect(clientAddress(new Headers({ "x-forwarded-for": "fe80::1%eth0" }))).toBe("fe80::1");
  });
});
