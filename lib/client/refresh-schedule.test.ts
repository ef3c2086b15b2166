import { describe, expect, it } from "vitest";
import { isRefreshDue, REFRESH_LEAD_MS, refreshDelay, retryDelay } from "./refresh-schedule";

describe("refreshDelay", () => {
  const now = 1_000_000;
  it("renews 30 s before a five-minute token expires", () => {
    expect(refreshDelay(now + 5 * 60_000, now)).toBe(5 * 60_000 - REFRESH_LEAD_MS);
  });
  it("renews at once when the token has expired or the time is garbage", () => {
    expect(refreshDelay(now - 1, now)).toBe(0);
    expect(refreshDelay(now, now)).toBe(0);
    expect(refreshDelay(Number.NaN, now)).toBe(0);
  });
  it("renews halfway through a token shorter than twice the lead, never in a tight loop", () => {
    expect(refreshDelay(now + 20_000, now)).toBe(10_000);
    expect(refreshDelay(now + 500, now)).toBe(1_000);
  });
  it("stays within what setTimeout accepts", () => {
    expect(refreshDelay(now + 90 * 86_400_000, now)).toBe(2_147_483_647);
  });
});

describe("isRefreshDue", () => {
  it("is due inside the lead window and after expiry only", () => {
    expect(isRefreshDue(10_000 + REFRESH_LEAD_MS + 1, 10_000)).toBe(false);
    expect(isRefreshDue(10_000 + REFRESH_LEAD_MS, 10_000)).toBe(true);
    expect(isRefreshDue(5_000, 10_000)).toBe(true);
  });
});

describe("retryDelay", () => {
  it("backs off and caps at a minute", () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(retryDelay)).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
  });
});
