// One account as the admin console's detail page shows it: the list's row, its live sessions
// (with the admin behind any impersonation), its second factors and its latest audit events.
import { liveSessionWhere } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { describeDevice } from "../account/list-sessions";
import { noSuchUser } from "./admin-lock";
import { type AuditEventDto, eventsOfAccount } from "./list-audit-events";
import { type AdminUserDto, describeUsers } from "./list-users";

export const DETAIL_EVENTS = 50;
const DETAIL_SESSIONS = 100;

export type AdminSessionDto = {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  address: string | null;
  device: string;
  /** The admin acting as this account in this session, if it is an impersonation. */
  impersonator: { id: string; username: string | null } | null;
};

export type AdminSecondFactorsDto = {
  totp: boolean;
  recoveryCodesLeft: number;
  passkeys: { id: string; name: string; createdAt: string; lastUsedAt: string | null }[];
};

export type AdminUserDetail = {
  user: AdminUserDto;
  sessions: AdminSessionDto[];
  secondFactors: AdminSecondFactorsDto;
  events: AuditEventDto[];
};

export async function getUser(deps: Deps, input: { userId: string }): Promise<AdminUserDetail> {
  const { userId } = input;
  const now = deps.clock.now();
  const [user] = await describeUsers(deps, [userId], now);
  if (!user) throw noSuchUser();
  const [sessions, totp, recoveryCodesLeft, passkeys, events] = await Promise.all([
    deps.db.session.findMany({
      where: { userId, ...liveSessionWhere(deps, now) },
      orderBy: [{ lastUsedAt: "desc" }, { id: "asc" }],
      take: DETAIL_SESSIONS,
      select: { id: true, createdAt: true, lastUsedAt: true, address: true, userAgent: true, impersonatorId: true },
    }),
    deps.db.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } }),
    deps.db.recoveryCode.count({ where: { userId, usedAt: null } }),
    deps.db.passkey.findMany({
      where: { userId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, name: true, createdAt: true, lastUsedAt: true },
    }),
    eventsOfAccount(deps, userId, DETAIL_EVENTS),
  ]);
  // impersonatorId is a plain id (the admin may since have been deleted): names in one query.
  const adminIds = [...new Set(sessions.flatMap((s) => (s.impersonatorId ? [s.impersonatorId] : [])))];
  const admins = adminIds.length
    ? await deps.db.user.findMany({ where: { id: { in: adminIds } }, select: { id: true, username: true } })
    : [];
  const nameOf = new Map(admins.map((a) => [a.id, a.username]));
  return {
    user,
    sessions: sessions.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      address: s.address,
      device: describeDevice(s.userAgent),
      impersonator: s.impersonatorId ? { id: s.impersonatorId, username: nameOf.get(s.impersonatorId) ?? null } : null,
    })),
    secondFactors: {
      totp: Boolean(totp?.confirmedAt),
      recoveryCodesLeft,
      passkeys: passkeys.map((p) => ({
        id: p.id,
        name: p.name,
        createdAt: p.createdAt.toISOString(),
        lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
      })),
    },
    events,
  };
}
