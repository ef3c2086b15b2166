// The last active admin cannot be demoted or disabled (409 last_admin), and two admins demoting
// each other at once leave exactly one admin. Each case needs a database where it controls who
// is an admin, so each gets its own server.
import { describe, expect, it } from "vitest";
import { useApp, type App } from "../support/app";
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
      // Nothing was written: no role change and no disable in the audit log.
      const audit = await app.script().get(`/api/admin/audit?user=${admin.username}`, { bearer });
      expect(audit.body.events.map((e: { type: string }) => e.type)).not.toEqual(expect.arrayContaining(["role_changed"]));
      expect(audit.body.events.map((e: { type: string }) => e.type)).not.toEqual(expect.arrayContaining(["user_disabled"]));

      // With a second admin, stepping down is allowed.
      const second = await app.newUser({ role: "admin" });
      const res = await app.script().patch(`/api/admin/users/${admin.id}`, { role: "user" }, { bearer });
      expect(res.status).toBe(200);
      expect(activeAdmins(await allUsers(app, await bearerOf(app, second))).map((u) => u.id)).toEqual([second.id]);
    });
  });

  describe("two admins", () => {
    const app = useApp(provider);

    it("demoting each other at once leaves exactly one admin", async () => {
      const x = await app.newUser({ role: "admin" });
      const y = await app.newUser({ role: "admin" });
      const [xBearer, yBearer] = [await bearerOf(app, x), await bearerOf(app, y)];
      expect(activeAdmins(await allUsers(app, xBearer))).toHaveLength(2);

      const [byX, byY] = await Promise.all([
        app.script().patch(`/api/admin/users/${y.id}`, { role: "user" }, { bearer: xBearer }),
        app.script().patch(`/api/admin/users/${x.id}`, { role: "user" }, { bearer: yBearer }),
      ]);
      const statuses = [byX.status, byY.status].sort();
      // The loser is refused either because it would leave no admin (409) or because its own
      // demotion landed first and it is no longer an admin (403); never both succeed.
      expect(statuses[0]).toBe(200);
      expect([403, 409]).toContain(statuses[1]);
      const loser = byX.status === 200 ? byY : byX;
      expect(["last_admin", "forbidden"]).toContain(loser.body.code);

      const winnerBearer = byX.status === 200 ? xBearer : yBearer;
      const winnerId = byX.status === 200 ? x.id : y.id;
      const admins = activeAdmins(await allUsers(app, winnerBearer));
      expect(admins.map((u) => u.id)).toEqual([winnerId]);
      const loserBearer = byX.status === 200 ? yBearer : xBearer;
      expect((await app.script().get("/api/admin", { bearer: loserBearer })).status).toBe(403);
      expect((await app.script().get("/api/admin", { bearer: winnerBearer })).status).toBe(200);
    });
  });
});
