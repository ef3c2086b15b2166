// The admin console's user list: search on username and email, cursor pagination in sign-up order.
import { asRole, liveSessionWhere } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { decodeCursor, encodeCursor } from "./cursor";

export type AdminUserDto = {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  /** What stands behind the password: an authenticator app, passkeys. */
  secondFactors: { totp: boolean; passkeys: number };
  role: "user" | "admin";
  disabled: boolean;
  createdAt: string;
  lastSeenAt: string | null;
  activeSessions: number;
};

export type ListUsersInput = { q?: string; cursor?: string; limit: number };

export async function listUsers(deps: Deps, query: ListUsersInput): Promise<{ users: AdminUserDto[]; nextCursor: string | null }> {
  const now = deps.clock.now();
  const q = query.q?.trim().toLowerCase();
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await deps.db.user.findMany({
    // An AND list: the search and the cursor are both OR conditions, and as keys of one object
    // the cursor's would replace the search's, so page 2 of a search would list everyone.
    where: {
      AND: [
        q ? { OR: [{ username: { contains: q } }, { email: { contains: q } }] } : {},
        after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {},
      ],
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    select: {
      id: true,
      username: true,
      email: true,
      emailVerifiedAt: true,
      totp: { select: { confirmedAt: true } },
      _count: { select: { passkeys: true } },
      role: true,
      disabled: true,
      createdAt: true,
      sessions: { where: liveSessionWhere(deps, now), select: { lastUsedAt: true }, orderBy: { lastUsedAt: "desc" } },
    },
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    users: page.map((u) => ({
      id: u.id,
      username: u.username,
      email: u.email,
      emailVerified: u.email !== null && u.emailVerifiedAt !== null,
      secondFactors: { totp: Boolean(u.totp?.confirmedAt), passkeys: u._count.passkeys },
      role: asRole(u.role),
      disabled: u.disabled,
      createdAt: u.createdAt.toISOString(),
      lastSeenAt: u.sessions[0]?.lastUsedAt.toISOString() ?? null,
      activeSessions: u.sessions.length,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}
