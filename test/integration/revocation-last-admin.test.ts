// The last active admin cannot be demoted or disabled (409 last_admin), and two admins demoting
// each other at once leave exactly one admin. Each case needs a database where it controls who
// is an admin, so each gets its own server.
import { describe, expect, it } from "vitest";
import { type App, useApp } from "../support/app";
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

describe.each(PROVIDERS)("last admin on %s", (provider) => {
  describe("a single admin", () => {
    const app = useApp(provider);

    it("cannot demote or disable themself", async () => {
      const admin = await app.newUser({ role: "admin" });
      await app.newUser();
      const bearer = await bearerOf(app, admin);
      expect(activeAdmins(await allUsers(app, bearer)).map((u) => u.id)).toEqual([admin.id]);

      for (const patch of [{ role: "user" }, { disabled: true }, { role: "user", disabled: true }]) {
        const res = await app.script().patch(`/api/admin/users/${admin.id}`, patch, { bearer });
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ code: "last_admin", message: expect.any(String) });
      }
      const me = await app.script().get("/api/me", { bearer });
      expect(me.body.user).toMatchObject({ id: admin.id, role: "admin" });
      expect((await app.script().get("/api/admin", { bearer })).status).toBe(200);
      expect(activeAdmins(await allUsers(app, bearer)).map((u) => u.id)).toEqual([admin.id]);
      // Nothing was written: the only role change on record is the promotion, and no disable.
      const audit = await app.script().get(`/api/admin/audit?user=${admin.username}`, { bearer });
      const events = audit.body.events as { type: string; detail: unknown }[];
      expect(events.filter((e) => e.type === "role_changed").map((e) => e.detail)).toEqual([{ from: "user", to: "admin" }]);
      expect(events.map((e) => e.type)).not.toContain("user_disabled");

      // With a second admin, stepping down is allowed.
      const second = await app.newUser({ role: "admin" });
      const res = await app.script().patch(`/api/admin/users/${admin.id}`, { role: "user" }, { bearer });
      expect(res.status).toBe(200);
      expect(activeAdmins(await allUsers(app, await bearerOf(app, second))).map((u) => u.id)).toEqual([second.id]);
    });
  });

  describe("two admins", () => {
    const app = useApp(provider);

    it("demoting each other at once leaves exactly one admin, round after round", async () => {
      const x = await app.newUser({ role: "admin" });
      const y = await app.newUser({ role: "admin" });
      const bearers = new Map([
        [x.id, await bearerOf(app, x)],
        [y.id, await bearerOf(app, y)],
      ]);
      const bearer = (id: string) => bearers.get(id) as string;

      for (let round = 0; round < 5; round++) {
        expect(
          activeAdmins(await allUsers(app, bearer(x.id)))
            .map((u) => u.id)
            .sort(),
        ).toEqual([x.id, y.id].sort());
        const [byX, byY] = await Promise.all([
          app.script().patch(`/api/admin/users/${y.id}`, { role: "user" }, { bearer: bearer(x.id) }),
          app.script().patch(`/api/admin/users/${x.id}`, { role: "user" }, { bearer: bearer(y.id) }),
        ]);
        // Exactly one wins. The other is refused because it would leave no admin (409) or, when
        // its own demotion committed before its request was authorised, because it is no longer
        // an admin (403). Never both, never a 5xx.
        expect([byX.status, byY.status].filter((s) => s === 200)).toHaveLength(1);
        const [winner, loser] = byX.status === 200 ? [x, y] : [y, x];
        const refused = byX.status === 200 ? byY : byX;
        expect([403, 409]).toContain(refused.status);
        expect(refused.body.code).toBe(refused.status === 409 ? "last_admin" : "forbidden");

        expect(activeAdmins(await allUsers(app, bearer(winner.id))).map((u) => u.id)).toEqual([winner.id]);
        expect((await app.script().get("/api/admin", { bearer: bearer(loser.id) })).status).toBe(403);
        expect((await app.script().get("/api/admin", { bearer: bearer(winner.id) })).status).toBe(200);
        // Promote the loser again for the next round.
        expect((await app.script().patch(`/api/admin/users/${loser.id}`, { role: "admin" }, { bearer: bearer(winner.id) })).status).toBe(
          200,
        );
      }
    });
  });
});
