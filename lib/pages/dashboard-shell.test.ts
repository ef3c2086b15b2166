import { describe, expect, it } from "vitest";
import { DASHBOARD_VARIANTS, dashboardData, dashboardFillValues, dashboardShellData, dashboardVariant } from "./dashboard-shell";
import { SLOT_PATTERN } from "./slots";

const session = (startedFrom: { address: string | null; device: string } | null) => ({
  startedAt: "2026-12-01T09:30:00.000Z",
  startedFrom,
  lastUsedAt: "2026-12-01T10:00:00.000Z",
  lastUsedFrom: { address: "10.0.0.2", device: "Safari on macOS" },
});

describe("the dashboard's shells", () => {
  it("has one shell per structure, and each shell's data is of its own structure", () => {
    expect(DASHBOARD_VARIANTS).toHaveLength(12);
    for (const variant of DASHBOARD_VARIANTS) expect(dashboardVariant(dashboardShellData(variant))).toBe(variant);
    expect(() => dashboardShellData("admin-email")).toThrow();
  });

  it("picks the structure from the data, and has a value for every slot that structure's shell holds", () => {
    const viewer = (role: "user" | "admin", email: string | null) => ({
      user: { id: "u", username: "ada", email, role, createdAt: new Date("2025-03-04T05:06:07Z"), disabled: false } as never,
      accessExpiresAt: 1_796_000_000_000,
    });
    const cases = [
      [dashboardData(viewer("admin", "ada@example.com"), session({ address: "10.0.0.1", device: "Chrome on Linux" })), "admin-email-moved"],
      [dashboardData(viewer("user", null), session({ address: "10.0.0.2", device: "Safari on macOS" })), "user-no-email-same"],
      [dashboardData(viewer("user", "a@b.c"), session(null)), "user-email-same"],
      [dashboardData(viewer("admin", null), null), "admin-no-email-none"],
    ] as const;
    for (const [data, variant] of cases) {
      expect(dashboardVariant(data)).toBe(variant);
      const slots = new Set([...JSON.stringify(dashboardShellData(variant)).matchAll(SLOT_PATTERN)].map((m) => m[1]));
      const values = dashboardFillValues(data);
      for (const name of slots) expect(values.text, `${variant}: ${name}`).toHaveProperty([name ?? ""]);
      expect(values.text["createdAt:date"]).toBe("March 4, 2025");
      if (data.session) expect(values.text["startedAt:utc"]).toBe("Dec 1, 2026, 9:30 AM UTC");
    }
    const moved = cases[0][0];
    expect(moved.session).toEqual({
      startedAt: "2026-12-01T09:30:00.000Z",
      from: "Chrome on Linux, 10.0.0.1",
      now: "Safari on macOS, 10.0.0.2",
    });
  });
});
