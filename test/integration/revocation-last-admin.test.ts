// The last active admin can never be removed (409 last_admin), and no admin disables, demotes or
// deletes themself (409 cannot_change_self / cannot_delete_self). Two admins removing each other at
// once leave exactly one admin: one request wins and the other is refused, never both and never a
// 5xx. Each case needs a database where it controls who is an admin, so each gets its own server.
import { describe, expect, it } from "vitest";
import { type App, useApp } from "../support/app";
import { runCli } from "../support/cli";
import type { Reply } from "../support/client";
import { PROVIDERS } from "../support/databases";

type AdminUser = { id: string; username: string; role: string; disabled: boolean };

async function bearerOf(app: App, user: { username: string; password: string }): Promise<string> {
  const res = await app.script().post("/api/auth/login", { username: user.username, password: user.password });
  expect(res.status).toBe(200);
  return res.body.access_token;
}

async function allUsers(app: App, bearer: string): Promise<AdminUser[]> {
  const res = await app.script().get("/api/admin/users?limit=100", { bearer });
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  return res.body.users;
}

const activeAdmins = (users: AdminUser[]) => users.filter((u) => u.role === "admin" && !u.disabled);

/**
 * The losing side of two admins removing each other at once. When both requests were authorised
 * before either wrote, the loser is refused under the admin lock with 409 last_admin. When the
 * winner's write committed before the loser's request was even authorised, the loser is no longer
 * an admin (403) or no longer signed in (401: a disable or delete ends its sessions). Never a 5xx,
 * never both.
 */
function expectRefusedRemoval(res: Reply): void {
  expect([
    [409, "last_admin"],
    [403, "forbidden"],
    [401, "invalid_token"],
  ]).toContainEqual([res.status, res.body?.code]);
}

describe.each(PROVIDERS)("last admin on %s", (provider) => {
  describe("a single admin", () => {
    const app = useApp(provider);

    it("cannot demote, disable or delete themself, and the command line cannot remove the last admin", async () => {
      const admin = await app.newUser({ role: "admin" });
      await app.newUser();
      const bearer = await bearerOf(app, admin);
      expect(activeAdmins(await allUsers(app, bearer)).map((u) => u.id)).toEqual([admin.id]);

      for (const patch of [{ role: "user" }, { disabled: true }, { role: "user", disabled: true }]) {
        const res = await app.script().patch(`/api/admin/users/${admin.id}`, patch, { bearer });
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ code: "cannot_change_self", message: expect.any(String) });
      }
      const del = await app.script().delete(`/api/admin/users/${admin.id}`, { bearer });
      expect(del.status).toBe(409);
      expect(del.body).toMatchObject({ code: "cannot_delete_self" });
      // The command line has no account, so the self rule does not apply; the last-admin rule does.
      const cli = await runCli(app, ["set-role", admin.username, "user"]);
      expect(cli.code).not.toBe(0);
      expect(cli.stderr).toContain("no active administrator");

      const me = await app.script().get("/api/me", { bearer });
      expect(me.body.user).toMatchObject({ id: admin.id, role: "admin" });
      expect((await app.script().get("/api/admin", { bearer })).status).toBe(200);
      expect(activeAdmins(await allUsers(app, bearer)).map((u) => u.id)).toEqual([admin.id]);
      // Nothing was written: the only role change on record is the promotion, and no disable.
      const audit = await app.script().get(`/api/admin/audit?user=${admin.username}`, { bearer });
      const events = audit.body.events as { type: string; detail: unknown }[];
      expect(events.filter((e) => e.type === "role_changed").map((e) => e.detail)).toEqual([{ from: "user", to: "admin" }]);
      expect(events.map((e) => e.type)).not.toContain("user_disabled");

      // With a second admin, that one may demote the first; stepping down alone is still refused.
      const second = await app.newUser({ role: "admin" });
      const stillSelf = await app.script().patch(`/api/admin/users/${admin.id}`, { role: "user" }, { bearer });
      expect(stillSelf.body.code).toBe("cannot_change_self");
      const res = await app.script().patch(`/api/admin/users/${admin.id}`, { role: "user" }, { bearer: await bearerOf(app, second) });
      expect(res.status).toBe(200);
      expect(activeAdmins(await allUsers(app, await bearerOf(app, second))).map((u) => u.id)).toEqual([second.id]);
    });
  });

  describe("two admins", () => {
    const app = useApp(provider);

    it("demoting, disabling and deleting each other at once leaves exactly one admin", async () => {
      const x = await app.newUser({ role: "admin" });
      const y = await app.newUser({ role: "admin" });
      const bearers = new Map([
        [x.id, await bearerOf(app, x)],
        [y.id, await bearerOf(app, y)],
      ]);
      const bearer = (id: string) => bearers.get(id) as string;
      const rounds: { name: string; send(actor: string, target: string): Promise<Reply> }[] = [
        {
          name: "demote",
          send: (actor, target) => app.script().patch(`/api/admin/users/${target}`, { role: "user" }, { bearer: bearer(actor) }),
        },
        {
          name: "disable",
          send: (actor, target) => app.script().patch(`/api/admin/users/${target}`, { disabled: true }, { bearer: bearer(actor) }),
        },
      ];

      const refusals: string[] = [];
      for (let round = 0; round < 6; round++) {
        const kind = rounds[round % rounds.length] as (typeof rounds)[number];
        expect(
          activeAdmins(await allUsers(app, bearer(x.id)))
            .map((u) => u.id)
            .sort(),
        ).toEqual([x.id, y.id].sort());
        const [byX, byY] = await Promise.all([kind.send(x.id, y.id), kind.send(y.id, x.id)]);
        expect(
          [byX.status, byY.status].filter((s) => s === 200),
          `${kind.name}: ${byX.text} ${byY.text}`,
        ).toHaveLength(1);
        const [winner, loser] = byX.status === 200 ? [x, y] : [y, x];
        const refused = byX.status === 200 ? byY : byX;
        refusals.push(`${refused.status} ${refused.body.code}`);
        expectRefusedRemoval(refused);

        expect(activeAdmins(await allUsers(app, bearer(winner.id))).map((u) => u.id)).toEqual([winner.id]);
        expect((await app.script().get("/api/admin", { bearer: bearer(winner.id) })).status).toBe(200);
        // Put the loser back for the next round; a disabled loser signs in again.
        const restore = kind.name === "demote" ? { role: "admin" } : { disabled: false };
        expect((await app.script().patch(`/api/admin/users/${loser.id}`, restore, { bearer: bearer(winner.id) })).status).toBe(200);
        if (kind.name === "disable") bearers.set(loser.id, await bearerOf(app, loser));
      }
      // PostgreSQL runs the two requests side by side, so most rounds overlap; SQLite's one
      // connection (lib/db/sqlite-adapter.ts) tends to finish one request before the other starts.
      if (provider === "postgresql") expect(refusals, refusals.join(", ")).toContain("409 last_admin");

      const [delX, delY] = await Promise.all([
        app.script().delete(`/api/admin/users/${y.id}`, { bearer: bearer(x.id) }),
        app.script().delete(`/api/admin/users/${x.id}`, { bearer: bearer(y.id) }),
      ]);
      expect(
        [delX.status, delY.status].filter((s) => s === 204),
        `${delX.text} ${delY.text}`,
      ).toHaveLength(1);
      expectRefusedRemoval(delX.status === 204 ? delY : delX);
      const survivor = delX.status === 204 ? x : y;
      expect(activeAdmins(await allUsers(app, bearer(survivor.id))).map((u) => u.id)).toEqual([survivor.id]);
    });
  });
});
