// Opaque keyset cursors for the admin listings: the sort key of the last row served, as a tuple.
// A cursor names a position, never an offset, so a page costs the same at any depth.
import { z } from "zod";
import { AppError } from "@/lib/errors";

export type CursorPart = string | number | null;

export function encodeCursor(parts: readonly CursorPart[]): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

/** Decodes a cursor against the tuple the listing expects; anything else is a 422 on `cursor`. */
export function decodeCursor<T extends z.ZodType>(cursor: string, shape: T): z.output<T> {
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw new AppError("validation_failed", { fields: { cursor: ["The cursor is not valid."] } });
}

export const isoDate = z.iso.datetime().transform((v) => new Date(v));
export const rowId = z.string().min(1).max(64);
