// Classifies database errors from either provider. Prisma 7 with driver adapters reports the same
// failure in several shapes (measured in lib/db/client.test.ts): a Prisma error code (P2002), the
// adapter's normalised `meta.driverAdapterError.cause.kind`, the driver's own `code`, or, for some
// pg pool failures, a bare Error whose only clue is its message.

type Loose = {
  code?: unknown;
  errorCode?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: Loose } };
  cause?: unknown;
  errors?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  constraint?: { fields?: unknown; index?: unknown };
};

/** The error and everything it wraps (cause chains, adapter causes, AggregateError members). */
function* chain(e: unknown, depth = 0): Generator<Loose> {
  if (depth > 5 || typeof e !== "object" || e === null) return;
  const err = e as Loose;
  yield err;
  yield* chain(err.meta?.driverAdapterError?.cause, depth + 1);
  yield* chain(err.cause, depth + 1);
  if (Array.isArray(err.errors)) for (const inner of err.errors) yield* chain(inner, depth + 1);
}

const UNIQUE_CODES = new Set(["P2002", "23505", "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"]);

export function isUniqueViolation(e: unknown): boolean {
  for (const err of chain(e)) {
    if (UNIQUE_CODES.has(String(err.code)) || UNIQUE_CODES.has(String(err.originalCode))) return true;
    if (err.kind === "UniqueConstraintViolation") return true;
  }
  return false;
}

/**
 * The columns of the unique constraint that was violated, when the error says (e.g. ["email"]), so
 * a caller can tell "username taken" from "email taken". PostgreSQL names only the index, which
 * follows Prisma's `<Model>_<fields>_key` convention.
 */
export function uniqueViolationFields(e: unknown): string[] | undefined {
  if (!isUniqueViolation(e)) return undefined;
  for (const err of chain(e)) {
    const fields = err.constraint?.fields;
    if (Array.isArray(fields) && fields.every((f) => typeof f === "string")) return fields as string[];
    const index = err.constraint?.index;
    if (typeof index === "string") {
      const match = /^[^_]+_(.+)_key$/.exec(index);
      if (match?.[1]) return match[1].split("_");
    }
  }
  return undefined;
}

// Prisma: P1000 authentication failed, P1001 can't reach, P1002 reach timed out, P1003 database
// missing, P1008 operation timed out (also SQLITE_BUSY past the busy timeout), P1010 access denied,
// P1011 TLS, P1017 server closed the connection, P2024 pool timeout.
const UNAVAILABLE_CODES = new Set([
  "P1000",
  "P1001",
  "P1002",
  "P1003",
  "P1008",
  "P1010",
  "P1011",
  "P1017",
  "P2024",
  // Node sockets
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  // PostgreSQL SQLSTATEs: server shutting down / starting up, too many connections
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);
const UNAVAILABLE_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "DatabaseDoesNotExist",
  "DatabaseAccessDenied",
  "AuthenticationFailed",
  "TlsConnectionError",
]);
// pg's pool and client throw these as bare Errors, without a code.
const UNAVAILABLE_MESSAGES = [
  "Connection terminated",
  "timeout exceeded when trying to connect",
  "Client has encountered a connection error",
  "Connection closed",
  "Unable to start a transaction in the given time",
  "Query read timeout", // our query_timeout (lib/db/client.ts): the server stopped answering
];

/** True when the database cannot be used right now (down, unreachable, locked): answer 503. */
export function isDbUnavailable(e: unknown): boolean {
  for (const err of chain(e)) {
    for (const code of [err.code, err.errorCode, err.originalCode]) {
      if (typeof code !== "string") continue;
      // SQLite: CANTOPEN (file unreadable), BUSY and LOCKED, in any extended form (SQLITE_BUSY_SNAPSHOT…)
      if (/^SQLITE_(CANTOPEN|BUSY|LOCKED)/.test(code)) return true;
      if (UNAVAILABLE_CODES.has(code) || code.startsWith("08")) return true; // SQLSTATE class 08: connection exception
    }
    if (typeof err.kind === "string" && UNAVAILABLE_KINDS.has(err.kind)) return true;
    if (typeof err.message === "string" && UNAVAILABLE_MESSAGES.some((m) => (err.message as string).includes(m))) {
      return true;
    }
  }
  return false;
}

/** One line for logs and CLI output: Prisma's messages open with a code frame; the reason is last. */
export function describeError(e: unknown): string {
  for (const err of chain(e)) {
    const text = typeof err.message === "string" ? err.message : "";
    const lines = text
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    const last = lines[lines.length - 1];
    if (last) return last;
  }
  return String(e);
}
