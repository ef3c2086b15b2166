// SPEC "Admin console": the users list (prefix search on username or email that stays applied on
// every page, role and status filters, three sorts, limit ≤ 100, cursors only the server made)
// and the audit log (filters by type, user, actor and time, cursor walking). Pages are walked to
// the end: every row matches, none is repeated or missed.
import { describe, expect, it } from "vitest";
import { type App, HTTP_LAYER_PROVIDERS, useApp } from "../support/app";
import { uniqueName } from "../support/client";
import { newAdmin } from "../support/mail-app";

const PASSWORD = "quiet lantern harbour meadow 47";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type UserRow = {
  id: string;
  username: string;
  email: string | null;
  role: string;
  disabled: boolean;
  createdAt: string;
  lastSeenAt: string | null;
};
type EventRow = { id: string; seq: number; createdAt: string; type: string; user: { id: string } | null; actor: { id: string } | null };

/** Follows nextCursor to the end; fails on a repeated row or a page over the limit. */
async function walk<T extends { id: string }>(
  app: App,
  bearer: string,
  path: string,
  key: "users" | "events",
  limit: number,
): Promise<T[]> {
  const rows: T[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (let page = 0; page < 500; page++) {
    const sep = path.includes("?") ? "&" : "?";
    const url: string = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await app.script().get(url, { bearer });
    expect(res.status, `${url}: ${res.text}`).toBe(200);
    const batch = res.body[key] as T[];
    expect(batch.length).toBeLessThanOrEqual(limit);
    for (const row of batch) {
      expect(seen.has(row.id), `${row.id} repeated`).toBe(false);
      seen.add(row.id);
      rows.push(row);
    }
    cursor = res.body.nextCursor;
    if (!cursor) return rows;
    expect(batch.length).toBe(limit);
  }
  throw new Error(`${path} did not end within 500 pages`);
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

describe.each(HTTP_LAYER_PROVIDERS)("admin listings on %s", (provider) => {
  const app = useApp(provider);
  // Names unique to this run and provider, so the searches see only this suite's accounts.
  const run = uniqueName("").slice(-8);
  const byName = `ln${run}`;
  const byEmail = `le${run}`;
  let admin: { id: string; username: string; token: string };
  /** 30 accounts whose username starts with byName (no email), in creation order. */
  const named: UserRow[] = [];
  /** 30 accounts whose email starts with byEmail (usernames that match neither search). */
  const mailed: UserRow[] = [];
  const setupUrls = new Map<string, string>();
  let startedAt = "";

  const api = {
    get: (path: string) => app.script().get(path, { bearer: admin.token }),
    post: (path: string, body?: unknown) => app.script().post(path, body, { bearer: admin.token }),
    patch: (path: string, body: unknown) => app.script().patch(path, body, { bearer: admin.token }),
  };

  // Two chains of creations side by side (each in order: the default sort is by creation). A
  // creation with an email also sends an invitation, so this takes a while on a loaded machine.
  it("sets up 60 accounts through the API: 30 found by username, 30 by email, some admins, some disabled", {
    timeout: 240_000,
  }, async () => {
    admin = await newAdmin(app);
    startedAt = new Date().toISOString();
    const byUsername = async () => {
      for (let i = 0; i < 30; i++) {
        const res = await api.post("/api/admin/users", {
          username: `${byName}-${String(i).padStart(2, "0")}`,
          role: i % 10 === 0 ? "admin" : "user",
        });
        expect(res.status, res.text).toBe(201);
        named.push(res.body.user);
        setupUrls.set(res.body.user.id, res.body.setup_url);
      }
    };
    const byMail = async () => {
      for (let i = 0; i < 30; i++) {
        const other = await api.post("/api/admin/users", { username: `zz${run}${i}`, email: `${byEmail}.${i}@example.com` });
        expect(other.status, other.text).toBe(201);
        mailed.push(other.body.user);
      }
    };
    await Promise.all([byUsername(), byMail()]);
    for (const i of [3, 7, 14, 21, 28]) {
      const res = await api.patch(`/api/admin/users/${named[i]?.id}`, { disabled: true });
      expect(res.status, res.text).toBe(200);
      (named[i] as UserRow).disabled = true;
    }
  });

  it("a username prefix search stays applied on every page: all 30 rows, in order, none repeated or missed", async () => {
    const rows = await walk<UserRow>(app, admin.token, `/api/admin/users?q=${byName}`, "users", 5);
    expect(rows).toHaveLength(30);
    for (const r of rows) expect(r.username.startsWith(byName)).toBe(true);
    expect(ids(rows)).toEqual(ids(named));
    // Default sort: created, newest first.
    expect(rows.map((r) => r.id)).toEqual([...named].reverse().map((r) => r.id));
    // Case-insensitive.
    const upper = await walk<UserRow>(app, admin.token, `/api/admin/users?q=${byName.toUpperCase()}`, "users", 7);
    expect(upper.map((r) => r.id)).toEqual(rows.map((r) => r.id));
  });

  it("an email prefix search stays applied on every page too", async () => {
    const rows = await walk<UserRow>(app, admin.token, `/api/admin/users?q=${byEmail}`, "users", 5);
    expect(rows).toHaveLength(30);
    for (const r of rows) expect(r.email?.startsWith(byEmail)).toBe(true);
    expect(ids(rows)).toEqual(ids(mailed));
    expect(await walk(app, admin.token, `/api/admin/users?q=${byEmail}.1`, "users", 5)).toHaveLength(11);
    expect(await walk(app, admin.token, `/api/admin/users?q=${byName}x`, "users", 5)).toEqual([]);
  });

  it("role and status filters combine with the search, across pages", async () => {
    const filtered = async (query: string) =>
      ids(await walk<UserRow>(app, admin.token, `/api/admin/users?q=${byName}&${query}`, "users", 5));
    const pick = (f: (u: UserRow) => boolean) => ids(named.filter(f));
    expect(await filtered("role=admin")).toEqual(pick((u) => u.role === "admin"));
    expect(await filtered("role=user")).toEqual(pick((u) => u.role === "user"));
    expect(await filtered("status=disabled")).toEqual(pick((u) => u.disabled));
    expect(await filtered("status=active")).toEqual(pick((u) => !u.disabled));
    expect(await filtered("role=user&status=active")).toEqual(pick((u) => u.role === "user" && !u.disabled));
    expect(await filtered("role=admin&status=active")).toHaveLength(3);
  });

  it("sorts by username and by last seen (never-seen accounts last)", async () => {
    const byUsername = await walk<UserRow>(app, admin.token, `/api/admin/users?q=${byName}&sort=username`, "users", 5);
    expect(byUsername.map((r) => r.username)).toEqual(named.map((r) => r.username).sort());

    // Four accounts choose a password and sign in, one after the other: the last is the most recent.
    const signers = [named[1], named[2], named[4], named[5]] as UserRow[];
    for (const u of signers) {
      const token = new URL(setupUrls.get(u.id) as string).searchParams.get("token");
      expect((await app.script().post("/api/auth/password/reset", { token, password: PASSWORD })).status).toBe(204);
      expect((await app.script().post("/api/auth/login", { username: u.username, password: PASSWORD })).status).toBe(200);
      await sleep(20);
    }
    const bySeen = await walk<UserRow>(app, admin.token, `/api/admin/users?q=${byName}&sort=last_seen`, "users", 5);
    expect(bySeen).toHaveLength(30);
    expect(bySeen.slice(0, 4).map((r) => r.id)).toEqual([...signers].reverse().map((u) => u.id));
    for (const r of bySeen.slice(0, 4)) expect(r.lastSeenAt).toEqual(expect.any(String));
    for (const r of bySeen.slice(4)) expect(r.lastSeenAt).toBeNull();
    expect(ids(bySeen)).toEqual(ids(named));
  });

  it("refuses a limit over 100, a forged cursor and unknown parameters (422)", async () => {
    const forged = [
      "not-a-cursor",
      Buffer.from('["2026-01-01T00:00:00Z"]').toString("base64url"),
      Buffer.from('{"offset":5}').toString("base64url"),
      // A username cursor handed to the created sort.
      Buffer.from(`["${byName}-05"]`).toString("base64url"),
    ];
    for (const path of [
      "/api/admin/users?limit=101",
      "/api/admin/users?limit=0",
      "/api/admin/users?limit=ten",
      "/api/admin/users?sort=random",
      "/api/admin/users?role=owner",
      "/api/admin/users?status=gone",
      "/api/admin/users?page=2",
      ...forged.map((c) => `/api/admin/users?q=${byName}&cursor=${c}`),
    ]) {
      const res = await api.get(path);
      expect(res.status, path).toBe(422);
      expect(res.body.code).toBe("validation_failed");
    }
    expect((await api.get("/api/admin/users?limit=100")).status).toBe(200);
  });

  it("the audit log filters by type, user, actor and time, and its cursor walks with no repeats", async () => {
    const byAdmin = await walk<EventRow>(app, admin.token, `/api/admin/audit?actor=${admin.id}`, "events", 7);
    for (const e of byAdmin) expect(e.actor?.id).toBe(admin.id);
    const created = byAdmin.filter((e) => e.type === "user_created_by_admin");
    expect(ids(created.map((e) => ({ id: e.user?.id ?? "" })))).toEqual(ids([...named, ...mailed]));
    for (let i = 1; i < byAdmin.length; i++) expect(byAdmin[i - 1]?.seq).toBeGreaterThan(byAdmin[i]?.seq ?? 0);
    // The same log in pages of 100 and of 7 is the same list.
    expect((await walk<EventRow>(app, admin.token, `/api/admin/audit?actor=${admin.id}`, "events", 100)).map((e) => e.id)).toEqual(
      byAdmin.map((e) => e.id),
    );

    const disabled = await walk<EventRow>(app, admin.token, `/api/admin/audit?type=user_disabled&actor=${admin.id}`, "events", 2);
    expect(ids(disabled.map((e) => ({ id: e.user?.id ?? "" })))).toEqual(ids(named.filter((u) => u.disabled)));

    const all = await walk<EventRow>(app, admin.token, "/api/admin/audit?type=login_success", "events", 5);
    for (const e of all) expect(e.type).toBe("login_success");

    const signer = named[1] as UserRow;
    const about = await walk<EventRow>(app, admin.token, `/api/admin/audit?user=${signer.id}`, "events", 2);
    for (const e of about) expect(e.user?.id).toBe(signer.id);
    expect(about.map((e) => e.type).reverse()).toEqual(["user_created_by_admin", "password_reset", "login_success"]);
    // A username works as well as an id.
    expect((await walk<EventRow>(app, admin.token, `/api/admin/audit?user=${signer.username}`, "events", 50)).map((e) => e.id)).toEqual(
      about.map((e) => e.id),
    );

    // A time window: only the events written in it, and all of them.
    const before = byAdmin.filter((e) => e.createdAt < startedAt);
    const window = await walk<EventRow>(app, admin.token, `/api/admin/audit?actor=${admin.id}&from=${startedAt}`, "events", 9);
    for (const e of window) expect(e.createdAt >= startedAt).toBe(true);
    expect(window.length + before.length).toBe(byAdmin.length);
    // Up to the middle of the creations (newest first, so half of them are later).
    const until = created[Math.floor(created.length / 2)]?.createdAt as string;
    const bounded = await walk<EventRow>(app, admin.token, `/api/admin/audit?actor=${admin.id}&from=${startedAt}&to=${until}`, "events", 4);
    expect(bounded.length).toBeGreaterThan(20);
    expect(bounded.map((e) => e.id)).toEqual(byAdmin.filter((e) => e.createdAt >= startedAt && e.createdAt <= until).map((e) => e.id));
    expect(await walk(app, admin.token, `/api/admin/audit?actor=${admin.id}&from=2999-01-01T00:00:00Z`, "events", 5)).toEqual([]);

    for (const path of [
      "/api/admin/audit?limit=101",
      "/api/admin/audit?type=Not-A-Type",
      "/api/admin/audit?from=yesterday",
      "/api/admin/audit?cursor=forged",
      `/api/admin/audit?cursor=${Buffer.from("[-1]").toString("base64url")}`,
    ]) {
      const res = await api.get(path);
      expect(res.status, path).toBe(422);
      expect(res.body.code).toBe("validation_failed");
    }
  });
});
