import { afterEach, describe, expect, it, vi } from "vitest";
import { reloadConfig } from "@/lib/config";
import { addressBucket, counterKey, normaliseAccount } from "./throttle/keys";
import { pairLockSeconds, type ThrottleLimits, throttleLimitsFromEnv } from "./throttle/limits";

describe("throttle keys", () => {
  it("normalises the account as typed", () => {
    expect(normaliseAccount("  Alice ")).toBe("alice");
    expect(normaliseAccount("ＡＬＩＣＥ@Example.COM")).toBe("alice@example.com");
  });

  it("counts IPv4 as itself and IPv6 by its /64", () => {
    expect(addressBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(addressBucket("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressBucket("::FFFF:cb00:7107")).toBe("203.0.113.7");
    expect(addressBucket("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:DB8:1:2::99")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("[2001:db8:1:2::1%eth0]")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("::1")).toBe("0:0:0:0::/64");
    expect(addressBucket("64:ff9b::198.51.100.1")).toBe("64:ff9b:0:0::/64");
    expect(addressBucket("unknown")).toBe("unknown");
  });

  it("hashes keys so no identifier is stored in plain text, and keeps parts apart", () => {
    const key = counterKey("pair", "203.0.113.7", "alice");
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain("alice");
    expect(counterKey("pair", "a:b", "c")).not.toBe(counterKey("pair", "a", "b:c"));
    expect(counterKey("account", "x")).not.toBe(counterKey("address", "x"));
  });
});

describe("pair lock ladder", () => {
  const limits: ThrottleLimits = {
    pairFailures: 5,
    pairBaseSeconds: 30,
    pairMaxSeconds: 900,
    accountFailures: 20,
    accountWindowSeconds: 900,
    addressFailures: 30,
    addressRegistrations: 30,
    addressWindowSeconds: 300,
  };
  it("starts at the threshold, doubles, and caps", () => {
    expect([1, 4, 5, 6, 7, 8, 9, 10, 11, 1_000].map((n) => pairLockSeconds(limits, n))).toEqual([
      0, 0, 30, 60, 120, 240, 480, 900, 900, 900,
    ]);
  });
});

describe("throttleLimitsFromEnv", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    reloadConfig();
  });

  it("defaults to the SPEC's numbers", () => {
    for (const name of Object.keys(process.env).filter((n) => n.startsWith("THROTTLE_"))) {
      vi.stubEnv(name, undefined);
    }
    reloadConfig();
    expect(throttleLimitsFromEnv()).toEqual({
      pairFailures: 5,
      pairBaseSeconds: 30,
      pairMaxSeconds: 900,
      accountFailures: 20,
      accountWindowSeconds: 900,
      addressFailures: 30,
      addressRegistrations: 30,
      addressWindowSeconds: 300,
      accountMails: 3,
      accountMailWindowSeconds: 600,
    });
  });

  it("reads each variable, rounding durations up to whole seconds", () => {
    vi.stubEnv("THROTTLE_PAIR_FAILURES", "3");
    vi.stubEnv("THROTTLE_PAIR_BASE", "1500ms");
    vi.stubEnv("THROTTLE_PAIR_MAX", "1h");
    vi.stubEnv("THROTTLE_ACCOUNT_FAILURES", "7");
    vi.stubEnv("THROTTLE_ACCOUNT_WINDOW", "10m");
    vi.stubEnv("THROTTLE_ADDRESS_FAILURES", "9");
    vi.stubEnv("THROTTLE_ADDRESS_REGISTRATIONS", "4");
    vi.stubEnv("THROTTLE_ADDRESS_WINDOW", "1ms");
    reloadConfig();
    expect(throttleLimitsFromEnv()).toEqual({
      pairFailures: 3,
      pairBaseSeconds: 2,
      pairMaxSeconds: 3600,
      accountFailures: 7,
      accountWindowSeconds: 600,
      addressFailures: 9,
      addressRegistrations: 4,
      addressWindowSeconds: 1,
      accountMails: 3,
      accountMailWindowSeconds: 600,
    });
  });
});
