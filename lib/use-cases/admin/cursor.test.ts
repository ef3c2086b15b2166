import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { decodeCursor, encodeCursor, isoDate, rowId } from "./cursor";

const shape = z.tuple([isoDate, rowId]);

describe("admin listing cursors", () => {
  it("round-trips the last row's position", () => {
    const at = new Date("2026-11-29T03:10:00.123Z");
    expect(decodeCursor(encodeCursor([at.toISOString(), "a1b2"]), shape)).toEqual([at, "a1b2"]);
    expect(decodeCursor(encodeCursor([42]), z.tuple([z.number().int()]))).toEqual([42]);
  });

  it("refuses anything it did not make with the validation error", () => {
    for (const bad of [
      "",
      "not-base64-json",
      Buffer.from('["x","id"]').toString("base64url"),
      Buffer.from('["2026-01-01T00:00:00Z",7]').toString("base64url"),
      Buffer.from('["2026-01-01T00:00:00Z","id","extra"]').toString("base64url"),
    ]) {
      let caught: unknown;
      try {
        decodeCursor(bad, shape);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).code).toBe("validation_failed");
    }
  });
});
