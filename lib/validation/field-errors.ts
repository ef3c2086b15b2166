import type { z } from "zod";

export const FORM_ERROR_KEY = "_";
export const UNKNOWN_FIELD_MESSAGE = "This field is not accepted here.";

/**
 * The SPEC's `fields` shape: top-level field name → messages. An unknown key is reported under
 * its own name (the client sees exactly which key to drop); errors about the body as a whole go
 * under "_". The result has no prototype, so a key named "__proto__" is just a key.
 */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  const add = (key: string, message: string) => {
    const list = (out[key] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  for (const issue of error.issues) {
    const head = issue.path[0];
    if (issue.code === "unrecognized_keys" && head === undefined) {
      for (const key of issue.keys) add(key, UNKNOWN_FIELD_MESSAGE);
    } else {
      add(head === undefined ? FORM_ERROR_KEY : String(head), issue.message);
    }
  }
  return out;
}
