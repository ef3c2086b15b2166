// Shapes of the admin API as the browser receives them (ISO dates).

export type {
  AdminSecondFactorsDto as AdminSecondFactors,
  AdminSessionDto as AdminSession,
  AdminUserDetail,
} from "@/lib/use-cases/admin/get-user";
export type { AuditEventDto as AuditEvent } from "@/lib/use-cases/admin/list-audit-events";
export type { AdminUserDto as AdminUser } from "@/lib/use-cases/admin/list-users";

export type Notice = { tone: "success" | "error"; text: string };
