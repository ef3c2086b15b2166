// The admin console's user list: prefix search on username and email, filters by role and status,
// three sort orders, and keyset cursors that seek. Every query is an index range on both databases
// (ADR 0016): the prefix is a [q, q + U+10FFFF) range over byte-ordered columns (SQLite's BINARY,
// PostgreSQL's COLLATE "C"), and a cursor is a bound on the sort key, never an offset.
import { z } from "zod";
import { asRole, liveSessionWhere } from "@/lib/auth/session-store";
import { providerOf } from "@/lib/db/url";
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

/** A prefix matching at least this many accounts is read along the sort order instead (see below). */
const BROAD_PREFIX = 1_000;

/**
 * The search condition. A narrow prefix is two index ranges (username, email) whose few matches
 * are then sorted. A broad one ("m" at 100k accounts) would sort thousands of rows per page, so
 * it is read along the sort order's index, filtering as it goes: at least one row in
 * BROAD_PREFIX / total matches, so a page costs about the same at any size. PostgreSQL's planner
 * makes that choice itself from its statistics; SQLite's needs the condition in a form its
 * indexes cannot serve (LIKE over BINARY-collated columns).
 */
async function searchCondition(deps: Deps, q: string, sort: UserSort): Promise<Where> {
  const ranges: Where = { OR: [{ username: { gte: q, lt: q + TOP } }, { email: { gte: q, lt: q + TOP } }] };
  // LIKE's wildcards are not escaped by Prisma on SQLite, so a prefix holding one stays a range.
  if (sort === "username" || /[%_\\]/.test(q) || providerOf(deps.config.DATABASE_URL) !== "sqlite") return ranges;
  const probe = (column: "username" | "email") => deps.db.user.count({ where: { [column]: { gte: q, lt: q + TOP } }, take: BROAD_PREFIX });
  const matches = (await probe("username")) + (await probe("email"));
  return matches < BROAD_PREFIX ? ranges : { OR: [{ username: { startsWith: q } }, { email: { startsWith: q } }] };
}

export async function listUsers(deps: Deps, query: ListUsersInput): Promise<{ users: AdminUserDto[]; nextCursor: string | null }> {
  const now = deps.clock.now();
  const q = query.q?.trim().toLowerCase();
  const sort = query.sort ?? "created";
  const filters: Where[] = [
    q ? await searchCondition(deps, q, sort) : {},
    query.role ? { role: query.role } : {},
    query.status ? { disabled: query.status === "disabled" } : {},
  ];
  const rows: (Row & { plan: Plan })[] = [];
  for (const plan of plans(sort, query.cursor)) {
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

/**
 * The list's row for each id, in the order given (missing ids are skipped). The counts are
 * grouped over the page's ids only: Prisma's relation `_count` aggregates the whole related
 * table first (every session of 100k accounts) and joins the page to that.
 */
export async function describeUsers(deps: Deps, ids: string[], now = deps.clock.now()): Promise<AdminUserDto[]> {
  if (ids.length === 0) return [];
  const [rows, sessions, passkeys, totps] = await Promise.all([
    deps.db.user.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        username: true,
        email: true,
        emailVerifiedAt: true,
        role: true,
        disabled: true,
        createdAt: true,
        lastSeenAt: true,
      },
    }),
    deps.db.session.groupBy({ by: ["userId"], where: { userId: { in: ids }, ...liveSessionWhere(deps, now) }, _count: { _all: true } }),
    deps.db.passkey.groupBy({ by: ["userId"], where: { userId: { in: ids } }, _count: { _all: true } }),
    deps.db.totpFactor.findMany({ where: { userId: { in: ids }, confirmedAt: { not: null } }, select: { userId: true } }),
  ]);
  const sessionCount = new Map(sessions.map((g) => [g.userId, g._count._all]));
  const passkeyCount = new Map(passkeys.map((g) => [g.userId, g._count._all]));
  const withTotp = new Set(totps.map((t) => t.userId));
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
        secondFactors: { totp: withTotp.has(u.id), passkeys: passkeyCount.get(u.id) ?? 0 },
        role: asRole(u.role),
        disabled: u.disabled,
        createdAt: u.createdAt.toISOString(),
        lastSeenAt: u.lastSeenAt?.toISOString() ?? null,
        activeSessions: sessionCount.get(u.id) ?? 0,
      },
    ];
  });
}
