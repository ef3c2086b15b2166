import { appendEvent, type ChainWriter } from "@/lib/audit/chain";
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
  "user_created_by_admin",
  "password_reset_by_admin",
  "session_revoked_by_admin",
  "impersonation_started",
  "impersonation_ended",
  "audit_exported",
  "audit_pruned",
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
  /** Appends one event to the chain, through `tx` when it must commit or roll back with other writes. */
  record(event: AuditInput, tx?: ChainWriter): Promise<void>;
};

const APPEND_WAIT = { maxWait: 10_000, timeout: 15_000 };

export function createAuditLog(db: Db, clock: { now(): Date } = { now: () => new Date() }): AuditLog {
  return {
    async record(event, tx) {
      const row = {
        type: event.type,
        userId: event.userId ?? null,
        actorId: event.actorId ?? null,
        subject: event.subject?.slice(0, 254) ?? null,
        address: event.address ?? null,
        userAgent: event.userAgent ?? null,
        detail: event.detail ? JSON.stringify(event.detail) : null,
      };
      const now = clock.now();
      // Appends queue on the chain's head row; under a burst, waiting for a pool connection past
      // Prisma's 2 s default must not lose the event.
      const { seq, hash } = tx ? await appendEvent(tx, row, now) : await db.$transaction((t) => appendEvent(t, row, now), APPEND_WAIT);
      // The same event for log shippers; its seq and hash let a copy outside the database vouch for the chain.
      log.info({ audit: event.type, seq, hash, userId: row.userId, actorId: row.actorId, address: row.address }, "audit");
    },
  };
}
