// Opaque keyset cursors for the admin listings: the (createdAt, id) of the last row served.
import { AppError } from "@/lib/errors";

export type Cursor = { createdAt: Date; id: string };

export function encodeCursor(row: Cursor): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");
}

export function decodeCursor(cursor: string): Cursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, unknown];
    const createdAt = new Date(typeof at === "string" ? at : "");
    if (typeof id !== "string" || id === "" || Number.isNaN(createdAt.getTime())) throw new Error("bad cursor");
    return { createdAt, id };
  } catch {
    throw new AppError("validation_failed", { fields: { cursor: ["The cursor is not valid."] } });
  }
}
