import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log";

export const AUDIT_TYPES = [
  "register",
  "login_success",
  "login_failure",
  "login_throttled",
  "login_lockout",
  "login_disabled",
  "registration_throttled",
  "logout",
  "logout_everywhere",
  "session_revoked",
  "other_sessions_revoked",
  "refresh_token_reuse",
  "password_changed",
  "role_changed",
  "user_disabled",
  "user_enabled",
  "user_deleted",
  "sessions_revoked_by_admin",
  "password_reset_requested",
  "password_reset",
  "password_reset_failed",
  "email_verification_sent",
  "email_verified",
  "email_verification_failed",
  "email_change_requested",
  "email_changed",
  "email_change_failed",
  "mail_throttled",
  "reauthenticated",
  "reauthentication_failed",
  "login_unverified",
  "second_factor_challenged",
  "second_factor_failed",
  "recovery_code_used",
  "totp_enrolment_started",
  "totp_enabled",
  "totp_disabled",
  "recovery_codes_regenerated",
  "second_factors_reset_by_admin",
  "passkey_added",
  "passkey_renamed",
  "passkey_removed",
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

export type AuditInput = {
  type: AuditType;
  userId?: string | null;
  actorId?: string | null;
  subject?: string | null;
  address?: string | null;
  userAgent?: string | null;
  detail?: Record<string, unknown>;
};

/** The audit log as use cases receive it in `deps`. */
export type AuditLog = {
  /** Writes one event, through `tx` when it must commit or roll back with other writes. */
  record(event: AuditInput, tx?: AuditWriter): Promise<void>;
};

type AuditWriter = Pick<Db, "auditEvent">;

export function createAuditLog(db: Db): AuditLog {
  return { record: (event, tx) => audit(tx ?? db, event) };
}

/** Writes one audit event and mirrors it to the log. Auth attempts are always recorded. */
async function audit(db: AuditWriter, event: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      type: event.type,
      userId: event.userId ?? null,
      actorId: event.actorId ?? null,
      subject: event.subject?.slice(0, 254) ?? null,
      address: event.address ?? null,
      userAgent: event.userAgent ?? null,
      detail: event.detail ? JSON.stringify(event.detail) : null,
    },
    select: { id: true },
  });
  log.info({ audit: event.type, userId: event.userId, actorId: event.actorId, address: event.address }, "audit");
}
