import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { fieldErrors } from "@/lib/validation/fields";

export const MAX_BODY_BYTES = 16 * 1024;

// A body declared too large is refused unread; Node discards it after the answer, so the
// connection stays usable. A chunked body found too large midway is read on and thrown away up
// to DRAIN_BYTES, for the same reason: cancelled midway, the unread rest wedged the connection,
// and the next request on it (a pooling proxy's, perhaps someone else's) hung until the
// keep-alive timeout and was reset. Past DRAIN_BYTES the connection is closed instead.
const DRAIN_BYTES = 1024 * 1024;

async function readLimited(req: Request): Promise<string> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) throw new AppError("payload_too_large");
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      while (size <= DRAIN_BYTES) {
        const rest = await reader.read();
        if (rest.done) throw new AppError("payload_too_large");
        size += rest.value.byteLength;
      }
      await reader.cancel().catch(() => undefined);
      throw new AppError("payload_too_large", { headers: { connection: "close" } });
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("malformed_json", { message: "The request body is not valid UTF-8." });
  }
}

/** Reads a JSON body (16 KiB at most, application/json only) and parses it with the schema. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, opts: { optional?: boolean } = {}): Promise<z.output<S>> {
  const type = req.headers.get("content-type");
  const text = await readLimited(req);
  let raw: unknown = {};
  if (text.trim() !== "" || !opts.optional) {
    if (type === null || type.split(";")[0]?.trim().toLowerCase() !== "application/json") {
      throw new AppError("unsupported_media_type");
    }
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AppError("malformed_json");
    }
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new AppError("bad_request", { message: "The request body must be a JSON object." });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError("validation_failed", { fields: fieldErrors(parsed.error) });
  return parsed.data;
}
