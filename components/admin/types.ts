// Shapes of GET /api/admin/users and GET /api/admin/audit as the browser receives them (ISO dates).
export type { AdminUserDto as AdminUser } from "@/lib/admin/users";
export type { AuditEventDto as AuditEvent } from "@/lib/admin/audit-log";

export type Notice = { tone: "success" | "error"; text: string };
