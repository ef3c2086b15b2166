import { z } from "zod";
import { EMAIL_MAX_LENGTH } from "./account-fields";
import { blankAsUndefined, foldIdentifier, text } from "./text";

// Query strings arrive as Object.fromEntries(url.searchParams): every value is a string, and an
// empty one ("?q=") means "not given". Unknown parameters are refused like unknown body keys.

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUndefined, schema.optional());

const limit = (fallback: number) =>
  z.preprocess(
    blankAsUndefined,
    z.coerce
      .number({ error: "Limit must be a number." })
      .int("Limit must be a whole number.")
      .min(1, "Limit must be between 1 and 100.")
      .max(100, "Limit must be between 1 and 100.")
      .default(fallback),
  );

const cursor = optional(text("Cursor").max(200, "Cursor is too long."));

// Names and emails are stored folded, so the search term is folded the same way.
const folded = (label: string) =>
  optional(
    text(label)
      .transform((v) => foldIdentifier(v).trim())
      .pipe(z.string().max(EMAIL_MAX_LENGTH, `${label} must be at most ${EMAIL_MAX_LENGTH} characters.`)),
  );

export const ListUsersQuerySchema = z.strictObject({
  q: folded("Search"),
  cursor,
  limit: limit(20),
});

export const AuditQuerySchema = z.strictObject({
  cursor,
  type: optional(text("Type").regex(/^[a-z][a-z0-9_]{0,63}$/, "Type must be an event type such as login_failed.")),
  // A user id or a username; the handler resolves which.
  user: folded("User"),
  limit: limit(50),
});

export type ListUsersQuery = z.output<typeof ListUsersQuerySchema>;
export type AuditQuery = z.output<typeof AuditQuerySchema>;
