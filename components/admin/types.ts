// Shapes of GET /api/admin/users and GET /api/admin/audit as the browser receives them (ISO dates).

export type { AuditEventDto as AuditEvent } from "@/lib/use-cases/admin/list-audit-events";
export type { AdminUserDto as AdminUser } from "@/lib/use-cases/admin/list-users";

export type Notice = { tone: "success" | "error"; text: string };
