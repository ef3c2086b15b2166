// The whole filtered audit log as a download, newest first like the paged API: CSV (RFC 4180, one
// header row) or NDJSON (one AuditEventDto per line). It streams a batch at a time as the client
// reads, so memory stays flat over millions of events. The export itself is audited first, so an
// abandoned download is on record too.
import type { Deps } from "@/lib/deps";
import { log } from "@/lib/log";
import type { AuditFilters } from "@/lib/validation/queries";
import type { AdminActor } from "../meta";
import { type AuditEventDto, eachAuditEvent } from "./list-audit-events";

export type AuditExportFormat = "csv" | "ndjson";

export type ExportAuditInput = { filters: AuditFilters; format: AuditExportFormat; actor: AdminActor };

export type AuditExport = { body: ReadableStream<Uint8Array>; contentType: string; filename: string };

const CSV_COLUMNS = [
  "id",
  "seq",
  "createdAt",
  "type",
  "userId",
  "username",
  "actorId",
  "actorUsername",
  "subject",
  "address",
  "userAgent",
  "detail",
] as const;

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP).
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: defused against formulas, then quoted when RFC 4180 requires it. */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvRow(e: AuditEventDto): string {
  const cells = [
    e.id,
    e.seq,
    e.createdAt,
    e.type,
    e.user?.id ?? null,
    e.user?.username ?? null,
    e.actor?.id ?? null,
    e.actor?.username ?? null,
    e.subject,
    e.address,
    e.userAgent,
    e.detail === null ? null : JSON.stringify(e.detail),
  ];
  return `${cells.map(csvCell).join(",")}\r\n`;
}

const FORMATS = {
  csv: {
    contentType: "text/csv; charset=utf-8",
    header: `${CSV_COLUMNS.join(",")}\r\n`,
    batch: (events: AuditEventDto[]) => events.map(csvRow).join(""),
  },
  ndjson: {
    contentType: "application/x-ndjson",
    header: "",
    batch: (events: AuditEventDto[]) => events.map((e) => `${JSON.stringify(e)}\n`).join(""),
  },
} as const;

/** The filters as given, for the audit event (dates as ISO text). */
function describeFilters(filters: AuditFilters): Record<string, string> {
  const given: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value instanceof Date) given[key] = value.toISOString();
    else if (typeof value === "string") given[key] = value;
  }
  return given;
}

export async function exportAuditEvents(deps: Deps, input: ExportAuditInput): Promise<AuditExport> {
  const { filters, format, actor } = input;
  const shape = FORMATS[format];
  await deps.audit.record({
    type: "audit_exported",
    userId: actor.actorId,
    actorId: actor.actorId,
    address: actor.address,
    userAgent: actor.userAgent,
    detail: { format, filters: describeFilters(filters) },
  });
  const batches = eachAuditEvent(deps, filters);
  // The first batch is read before answering, so an unreachable database is a 503, not a cut-off file.
  const first = await batches.next();
  const encoder = new TextEncoder();
  let pending: string | null = shape.header + (first.done ? "" : shape.batch(first.value));
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (pending !== null) {
          controller.enqueue(encoder.encode(pending));
          pending = null;
          if (first.done) controller.close();
          return;
        }
        const next = await batches.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(shape.batch(next.value)));
      } catch (e) {
        log.error({ err: e instanceof Error ? e.message : String(e) }, "audit export failed mid-stream");
        controller.error(e);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const day = deps.clock.now().toISOString().slice(0, 10);
  return { body, contentType: shape.contentType, filename: `latchkey-audit-${day}.${format}` };
}
