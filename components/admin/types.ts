// Shapes of GET /api/admin/users and GET /api/admin/audit as the browser receives them (ISO dates).
export type AdminUser = {
  id: string;
  username: string;
  email: string | null;
  role: "user" | "admin";
  disabled: boolean;
  createdAt: string;
  lastSeenAt: string | null;
  activeSessions: number;
};

export type AuditEvent = {
  id: string;
  createdAt: string;
  type: string;
  userId: string | null;
  username: string | null;
  actorUsername: string | null;
  subject: string | null;
  address: string | null;
  userAgent: string | null;
  /** Parsed JSON; normally an object of event details. */
  detail: unknown;
};

export type Notice = { tone: "success" | "error"; text: string };
