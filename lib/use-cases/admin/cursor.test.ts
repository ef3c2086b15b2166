import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { decodeCursor, encodeCursor } from "./cursor";

describe("admin listing cursors", () => {
  it("round-trips the last row's position", () => {
    const row = { createdAt: new Date("2026-11-29T03:10:00.123Z"), id: "a1b2" };
    expect(decodeCursor(encodeCursor(row))).toEqual(row);
  });

  it("refuses anything it did not make with the validation error", () => {
    for (const bad of [
      "",
      "not-base64-json",
      Buffer.from('["x","id"]').toString("base64url"),
      Buffer.from('["2026-01-01T00:00:00Z",7]').toString("base64url"),
    ]) {
      expect(() => decodeCursor(bad)).toThrow(AppError);
      try {
        decodeCursor(bad);
      } catch (e) {
        expect((e as AppError).code).toBe("validation_failed");
      }
    }
  });
});
