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

const when = (label: string) =>
  optional(
    text(label)
      .refine((v) => !Number.isNaN(Date.parse(v)), `${label} must be an ISO date or time, such as 2026-11-30T12:00:00Z.`)
      .transform((v) => new Date(v)),
  );

// An account id, or (for the audit log) a username; the use case resolves which.
const account = (label: string) =>
  optional(
    text(label)
      .max(64, `${label} must be at most 64 characters.`)
      .transform((v) => v.trim().toLowerCase()),
  );

export const ListUsersQuerySchema = z.strictObject({
  q: folded("Search"),
  role: optional(z.enum(["user", "admin"], { error: "Role must be user or admin." })),
  status: optional(z.enum(["active", "disabled"], { error: "Status must be active or disabled." })),
  sort: optional(z.enum(["created", "username", "last_seen"], { error: "Sort must be created, username or last_seen." })).default(
    "created",
  ),
  cursor,
  limit: limit(20),
});

const auditFilters = {
  type: optional(text("Type").regex(/^[a-z][a-z0-9_]{0,63}$/, "Type must be an event type such as login_failure.")),
  user: account("User"),
  actor: account("Actor"),
  from: when("From"),
  to: when("To"),
};

export const AuditQuerySchema = z.strictObject({ ...auditFilters, cursor, limit: limit(50) });

export const AuditExportQuerySchema = z.strictObject({
  ...auditFilters,
  format: z.enum(["csv", "ndjson"], { error: "Format must be csv or ndjson." }),
});

export type ListUsersQuery = z.output<typeof ListUsersQuerySchema>;
export type AuditQuery = z.output<typeof AuditQuerySchema>;
export type AuditFilters = Omit<AuditQuery, "cursor" | "limit">;
