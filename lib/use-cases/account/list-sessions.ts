// The caller's live sessions, newest use first, with a readable device name.
import UAParser from "ua-parser-js";
import { liveSessionWhere } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";

export type SessionDto = {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  address: string | null;
  device: string;
  current: boolean;
  /**
   * Only on an impersonation session: the administrator acting as the person, so they can see
   * it. Absent otherwise, so an ordinary session keeps exactly the SPEC's keys.
   */
  impersonator?: { username: string };
};

/** "Firefox on Linux", "Chrome on Android", or the raw agent's first words for scripts. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const { browser, os } = new UAParser(userAgent).getResult();
  if (browser.name && os.name) return `${browser.name} on ${os.name}`;
  if (browser.name) return browser.name;
  return userAgent.split(/[\s(]/)[0]?.slice(0, 40) || "Unknown device";
}

export async function listSessions(deps: Deps, input: { userId: string; currentSessionId: string }): Promise<SessionDto[]> {
  const rows = await deps.db.session.findMany({
    where: { userId: input.userId, ...liveSessionWhere(deps, deps.clock.now()) },
    orderBy: [{ lastUsedAt: "desc" }, { id: "asc" }],
    take: 100,
    select: { id: true, createdAt: true, lastUsedAt: true, address: true, userAgent: true, impersonatorId: true },
  });
  const adminIds = [...new Set(rows.flatMap((s) => (s.impersonatorId ? [s.impersonatorId] : [])))];
  const admins = adminIds.length
    ? await deps.db.user.findMany({ where: { id: { in: adminIds } }, select: { id: true, username: true } })
    : [];
  const adminName = new Map(admins.map((a) => [a.id, a.username]));
  return rows.map((s) => ({
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    address: s.address,
    device: describeDevice(s.userAgent),
    current: s.id === input.currentSessionId,
    ...(s.impersonatorId ? { impersonator: { username: adminName.get(s.impersonatorId) ?? "a deleted administrator" } } : {}),
  }));
}
