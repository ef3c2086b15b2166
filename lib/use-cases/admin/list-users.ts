// The admin console's user list: prefix search on username and email, filters by role and status,
// three sort orders, and keyset cursors that seek. Every query is an index range on both databases
// (ADR 0016): the prefix is a [q, q + U+10FFFF) range over byte-ordered columns (SQLite's BINARY,
// PostgreSQL's COLLATE "C"), and a cursor is a bound on the sort key, never an offset.
import { z } from "zod";
import { asRole, liveSessionWhere } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { decodeCursor, encodeCursor, isoDate, rowId } from "./cursor";

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

export type UserSort = "created" | "username" | "last_seen";

export type ListUsersInput = {
  q?: string;
  role?: "user" | "admin";
  status?: "active" | "disabled";
  sort?: UserSort;
  cursor?: string;
  limit: number;
};

/** Above every character a prefix can be followed by: [q, q + TOP) holds exactly the strings starting with q. */
const TOP = "\u{10FFFF}";

type Where = Prisma.UserWhereInput;
type Order = Prisma.UserOrderByWithRelationInput[];
type Row = { id: string; username: string; createdAt: Date; lastSeenAt: Date | null };

/** One sort order: how rows are ordered, where a cursor resumes, and the cursor for a row. */
type Plan = { where: Where; orderBy: Order; cursorOf(row: Row): string };

const createdCursor = z.tuple([isoDate, rowId]);
const usernameCursor = z.tuple([z.string().min(1).max(64)]);
const lastSeenCursor = z.union([z.tuple([z.literal("seen"), isoDate, rowId]), z.tuple([z.literal("never"), rowId])]);

/** (at, id) < (cursor) as a seekable range on the leading column plus a tie-breaker. */
function before(column: "createdAt" | "lastSeenAt", at: Date, id: string): Where {
  return { [column]: { lte: at }, OR: [{ [column]: { lt: at } }, { id: { lt: id } }] };
}

function plans(sort: UserSort, cursor: string | undefined): Plan[] {
  if (sort === "username") {
    const after = cursor ? decodeCursor(cursor, usernameCursor)[0] : undefined;
    return [
      { where: after ? { username: { gt: after } } : {}, orderBy: [{ username: "asc" }], cursorOf: (r) => encodeCursor([r.username]) },
    ];
  }
  if (sort === "created") {
    const c = cursor ? decodeCursor(cursor, createdCursor) : undefined;
    return [
      {
        where: c ? before("createdAt", c[0], c[1]) : {},
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        cursorOf: (r) => encodeCursor([r.createdAt.toISOString(), r.id]),
      },
    ];
  }
  // Last seen, most recent first, then the accounts never seen (newest id first): two ranges of
  // one index, read one after the other, so neither database has to sort NULLs into place.
  const c = cursor ? decodeCursor(cursor, lastSeenCursor) : undefined;
  const never: Plan = {
    where: { lastSeenAt: null, ...(c?.[0] === "never" ? { id: { lt: c[1] } } : {}) },
    orderBy: [{ id: "desc" }],
    cursorOf: (r) => encodeCursor(["never", r.id]),
  };
  if (c?.[0] === "never") return [never];
  return [
    {
      where: c ? before("lastSeenAt", c[1], c[2]) : { lastSeenAt: { not: null } },
      orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }],
      cursorOf: (r) => encodeCursor(["seen", (r.lastSeenAt ?? new Date(0)).toISOString(), r.id]),
    },
    never,
  ];
}

export async function listUsers(deps: Deps, query: ListUsersInput): Promise<{ users: AdminUserDto[]; nextCursor: string | null }> {
  const now = deps.clock.now();
  const q = query.q?.trim().toLowerCase();
  const filters: Where[] = [
    q ? { OR: [{ username: { gte: q, lt: q + TOP } }, { email: { gte: q, lt: q + TOP } }] } : {},
    query.role ? { role: query.role } : {},
    query.status ? { disabled: query.status === "disabled" } : {},
  ];
  const rows: (Row & { plan: Plan })[] = [];
  for (const plan of plans(query.sort ?? "created", query.cursor)) {
    const want = query.limit + 1 - rows.length;
    if (want <= 0) break;
    // An AND list: the search and the cursor bound are both OR conditions, and as keys of one
    // object the second would replace the first (page 2 of a search would list everyone).
    const found = await deps.db.user.findMany({
      where: { AND: [...filters, plan.where] },
      orderBy: plan.orderBy,
      take: want,
      select: { id: true, username: true, createdAt: true, lastSeenAt: true },
    });
    rows.push(...found.map((r) => ({ ...r, plan })));
  }
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    users: await describeUsers(
      deps,
      page.map((r) => r.id),
      now,
    ),
    nextCursor: rows.length > query.limit && last ? last.plan.cursorOf(last) : null,
  };
}

/** The list's row for each id, in the order given (missing ids are skipped). */
export async function describeUsers(deps: Deps, ids: string[], now = deps.clock.now()): Promise<AdminUserDto[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.user.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      username: true,
      email: true,
      emailVerifiedAt: true,
      totp: { select: { confirmedAt: true } },
      _count: { select: { passkeys: true, sessions: { where: liveSessionWhere(deps, now) } } },
      role: true,
      disabled: true,
      createdAt: true,
      lastSeenAt: true,
    },
  });
  const byId = new Map(rows.map((u) => [u.id, u]));
  return ids.flatMap((id) => {
    const u = byId.get(id);
    if (!u) return [];
    return [
      {
        id: u.id,
        username: u.username,
        email: u.email,
        emailVerified: u.email !== null && u.emailVerifiedAt !== null,
        secondFactors: { totp: Boolean(u.totp?.confirmedAt), passkeys: u._count.passkeys },
        role: asRole(u.role),
        disabled: u.disabled,
        createdAt: u.createdAt.toISOString(),
        lastSeenAt: u.lastSeenAt?.toISOString() ?? null,
        activeSessions: u._count.sessions,
      },
    ];
  });
}
