import { describe, expect, it } from "vitest";
import { formatDateUtc, formatRelative, formatWait } from "./format";

describe("formatWait", () => {
  it.each([
    [0, "1 second"],
    [1, "1 second"],
    [30, "30 seconds"],
    [60, "1 minute"],
    [61, "2 minutes"],
    [900, "15 minutes"],
    [7200, "2 hours"],
  ])("%d s → %s", (seconds, text) => {
    expect(formatWait(seconds)).toBe(text);
  });
});

describe("formatRelative", () => {
  const now = Date.parse("2030-01-01T12:00:00Z");
  it("says just now for a few seconds ago", () => {
    expect(formatRelative(now - 10_000, now)).toBe("just now");
  });
  it("uses the largest whole unit", () => {
    expect(formatRelative(now - 3 * 60_000, now)).toBe("3 minutes ago");
    expect(formatRelative(now + 4 * 60_000, now)).toBe("in 4 minutes");
    expect(formatRelative(new Date(now - 2 * 86_400_000).toISOString(), now)).toBe("2 days ago");
  });
  it("does not throw on garbage", () => {
    expect(formatRelative("not a date", now)).toBe("unknown");
  });
});

describe("formatDateUtc", () => {
  it("is independent of the local time zone", () => {
    expect(formatDateUtc("2030-01-01T23:30:00Z")).toBe("January 1, 2030");
  });
});
