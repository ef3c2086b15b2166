// SPEC "Admin console": an account's detail, creating accounts (an invitation mailed, or a set-up
// link handed back when mail is off), an admin's password reset, ending one session, and the
// guardrails (no admin disables, demotes or deletes themself). Every action is audited with the
// acting admin. Over HTTP, on SQLite and PostgreSQL.
import { describe, expect, it } from "vitest";
import { as, eventsBy, login, NEW_PASSWORD, setPassword, tokenOf } from "../support/admin-api";
import { HTTP_LAYER_PROVIDERS } from "../support/app";
import { GOOD_PASSWORD, uniqueName } from "../support/client";
import { browserSignIn, newAdmin, registerWithEmail, SUBJECTS, scriptSignIn, useMailApp, waitForMail } from "../support/mail-app";
import { linkFrom } from "../support/smtp";
import { withinOneSecond } from "../support/within";

const INVITATION = /you have been invited to latchkey/i;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

/** The session an access token belongs to (its `sid` claim). */
const sidOf = (accessToken: string): string => JSON.parse(Buffer.from(accessToken.split(".")[1] ?? "", "base64url").toString("utf8")).sid;

describe.each(HTTP_LAYER_PROVIDERS)("admin actions on %s", (provider) => {
  describe("with mail", () => {
    const mail = useMailApp(provider);
    const app = mail.app;

    it("creates an account and mails an invitation; its link sets the password and the person signs in", async () => {
      const admin = await newAdmin(app);
      const username = uniqueName("inv");
      const email = `${username}@example.com`;
      const res = await as(app, admin.token).post("/api/admin/users", { username, email, role: "user" });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual({ user: expect.objectContaining({ username, email, role: "user", disabled: false, lastSeenAt: null }) });

      const invitation = await waitForMail(mail.smtp, email, INVITATION);
      expect(invitation.subject).toBe("You have been invited to Latchkey");
      const { url, token } = linkFrom(invitation, "/reset-password");
      expect(url).toBe(`${app.url}/reset-password?token=${token}`);
      expect(invitation.text.split(/\r?\n/)).toContain(url);

      // Nobody knows the password it was created with: sign-in fails until the person sets one.
      expect((await login(app, username, GOOD_PASSWORD)).status).toBe(401);
      await setPassword(app, token);
      const signedIn = await login(app, username, NEW_PASSWORD);
      expect(signedIn.status, signedIn.text).toBe(200);
      expect(signedIn.body.user).toMatchObject({ id: res.body.user.id, username });

      const [created] = (await eventsBy(app, admin)).filter((e) => e.type === "user_created_by_admin");
      expect(created).toMatchObject({
        actor: { id: admin.id, username: admin.username },
        user: { id: res.body.user.id, username },
        detail: { role: "user" },
      });
    });

    it("returns setup_url instead of mailing when the new account has no email", async () => {
      const admin = await newAdmin(app);
      const username = uniqueName("nomail");
      const res = await as(app, admin.token).post("/api/admin/users", { username, role: "admin" });
      expect(res.status, res.text).toBe(201);
      expect(res.body.user).toMatchObject({ username, email: null, role: "admin" });
      expect(res.body.setup_url).toMatch(new RegExp(`^${app.url}/reset-password\\?token=[A-Za-z0-9_-]{43}$`));
      await setPassword(app, tokenOf(res.body.setup_url));
      expect((await login(app, username, NEW_PASSWORD)).status).toBe(200);
    });

    it("refuses taken names (409) and bad bodies (422), and of two creates of one name exactly one wins", async () => {
      const admin = await newAdmin(app);
      const api = as(app, admin.token);
      const existing = await registerWithEmail(app);
      const taken = await api.post("/api/admin/users", { username: existing.username });
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({ code: "username_taken", fields: { username: [expect.any(String)] } });
      const emailTaken = await api.post("/api/admin/users", { username: uniqueName("e"), email: existing.email.toUpperCase() });
      expect(emailTaken.status).toBe(409);
      expect(emailTaken.body).toMatchObject({ code: "email_taken", fields: { email: [expect.any(String)] } });

      const name = uniqueName("bad");
      const bad: [unknown, string][] = [
        [{}, "username"],
        [{ username: "ab" }, "username"],
        [{ username: "Not A Name!" }, "username"],
        [{ username: 42 }, "username"],
        [{ username: name, email: "not-an-email" }, "email"],
        [{ username: name, role: "root" }, "role"],
        [{ username: name, password: GOOD_PASSWORD }, ""],
        [{ username: name, disabled: true }, ""],
      ];
      for (const [body, field] of bad) {
        const res = await api.post("/api/admin/users", body);
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(res.body.code).toBe("validation_failed");
        if (field) expect(Object.keys(res.body.fields ?? {}), JSON.stringify(body)).toContain(field);
      }
      expect((await api.get(`/api/admin/users?q=${name}`)).body.users).toEqual([]);
      expect((await api.patch(`/api/admin/users/${existing.id}`, {})).status).toBe(422);
      expect((await api.patch(`/api/admin/users/${existing.id}`, { role: "owner" })).status).toBe(422);

      for (let round = 0; round < 3; round++) {
        const username = uniqueName("race");
        const replies = await Promise.all([api.post("/api/admin/users", { username }), api.post("/api/admin/users", { username })]);
        expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
        expect(replies.find((r) => r.status === 409)?.body.code).toBe("username_taken");
        const email = `${uniqueName("race")}@example.com`;
        const byEmail = await Promise.all([
          api.post("/api/admin/users", { username: uniqueName("ra"), email }),
          api.post("/api/admin/users", { username: uniqueName("rb"), email }),
        ]);
        expect(byEmail.map((r) => r.status).sort()).toEqual([201, 409]);
        expect(byEmail.find((r) => r.status === 409)?.body.code).toBe("email_taken");
      }
    });

    it("an admin's password reset: 202, every session ends within 1 s, the password is untouched, the mailed link works", async () => {
      const admin = await newAdmin(app);
      const user = await registerWithEmail(app);
      const sessions = [await browserSignIn(app, user), await scriptSignIn(app, user)];
      const bystander = await scriptSignIn(app, await registerWithEmail(app));

      const res = await as(app, admin.token).post(`/api/admin/users/${user.id}/password-reset`);
      expect(res.status, res.text).toBe(202);
      expect(res.body).toEqual({ message: expect.any(String) });
      await withinOneSecond(async () => {
        for (const s of sessions) expect((await app.script().get("/api/me", { bearer: s.accessToken })).status).toBe(401);
      });
      expect((await app.script().get("/api/me", { bearer: bystander.accessToken })).status).toBe(200);
      const refresh = await app.script().post("/api/auth/refresh", { refresh_token: sessions[1]?.refreshToken });
      expect(refresh.status).toBe(401);

      // The person chooses the new password; until then the old one still signs in.
      expect((await login(app, user.username, user.password)).status).toBe(200);
      const message = await waitForMail(mail.smtp, user.email, SUBJECTS.reset);
      await setPassword(app, linkFrom(message, "/reset-password").token);
      expect((await login(app, user.username, user.password)).status).toBe(401);
      expect((await login(app, user.username, NEW_PASSWORD)).status).toBe(200);
    });

    it("ends one session of the account (204) and no other; 404 for a session that is not that account's or not live", async () => {
      const admin = await newAdmin(app);
      const api = as(app, admin.token);
      const user = await registerWithEmail(app);
      const [a, b] = [await scriptSignIn(app, user), await scriptSignIn(app, user)];
      const other = await registerWithEmail(app);
      await scriptSignIn(app, other);

      const detail = await api.get(`/api/admin/users/${user.id}`);
      const ids = (detail.body.sessions as { id: string }[]).map((s) => s.id);
      expect(ids).toHaveLength(2);
      const [aId, bId] = [sidOf(a.accessToken), sidOf(b.accessToken)];
      expect(ids.sort()).toEqual([aId, bId].sort());

      expect((await api.delete(`/api/admin/users/${user.id}/sessions/${aId}`)).status).toBe(204);
      await withinOneSecond(async () => {
        expect((await app.script().get("/api/me", { bearer: a.accessToken })).status).toBe(401);
      });
      expect((await app.script().get("/api/me", { bearer: b.accessToken })).status).toBe(200);
      expect((await api.get(`/api/admin/users/${user.id}`)).body.sessions.map((s: { id: string }) => s.id)).toEqual([bId]);

      const otherSession = (await api.get(`/api/admin/users/${other.id}`)).body.sessions[0].id as string;
      for (const path of [
        `/api/admin/users/${user.id}/sessions/${aId}`,
        `/api/admin/users/${user.id}/sessions/${otherSession}`,
        `/api/admin/users/${user.id}/sessions/${UNKNOWN_ID}`,
        `/api/admin/users/${other.id}/sessions/${bId}`,
        `/api/admin/users/${UNKNOWN_ID}/sessions/${bId}`,
      ]) {
        const res = await api.delete(path);
        expect(res.status, path).toBe(404);
        expect(res.body.code).toBe("not_found");
      }
      expect((await app.script().get("/api/me", { bearer: b.accessToken })).status).toBe(200);
      const [event] = (await eventsBy(app, admin)).filter((e) => e.type === "session_revoked_by_admin");
      expect(event).toMatchObject({ actor: { id: admin.id }, user: { id: user.id }, detail: { sessionId: aId } });
    });

    it("shows an account's detail: the list's row, live sessions, second factors and latest events", async () => {
      const admin = await newAdmin(app);
      const user = await registerWithEmail(app);
      await browserSignIn(app, user);
      await scriptSignIn(app, user);
      const res = await as(app, admin.token).get(`/api/admin/users/${user.id}`);
      expect(res.status, res.text).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(["events", "secondFactors", "sessions", "user"]);
      expect(res.body.user).toMatchObject({
        id: user.id,
        username: user.username,
        email: user.email,
        emailVerified: false,
        secondFactors: { totp: false, passkeys: 0 },
        role: "user",
        disabled: false,
        createdAt: expect.any(String),
        lastSeenAt: expect.any(String),
        activeSessions: 2,
      });
      expect(res.body.sessions).toHaveLength(2);
      for (const s of res.body.sessions) {
        expect(s).toEqual({
          id: expect.any(String),
          createdAt: expect.any(String),
          lastUsedAt: expect.any(String),
          address: expect.any(String),
          device: expect.any(String),
          impersonator: null,
        });
      }
      expect(res.body.sessions.map((s: { device: string }) => s.device)).toContain("Chrome on Linux");
      expect(res.body.secondFactors).toEqual({ totp: false, recoveryCodesLeft: 0, passkeys: [] });
      const types = (res.body.events as { type: string; user: { id: string } }[]).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(["register", "login_success"]));
      expect(res.body.events[0]).toMatchObject({ id: expect.any(String), seq: expect.any(Number), createdAt: expect.any(String) });
    });

    it("guardrails: no admin disables, demotes or deletes themself (409); non-admins get 403; unknown ids 404", async () => {
      const admin = await newAdmin(app);
      await newAdmin(app);
      const api = as(app, admin.token);
      for (const patch of [{ disabled: true }, { role: "user" }, { role: "user", disabled: true }]) {
        const res = await api.patch(`/api/admin/users/${admin.id}`, patch);
        expect(res.status, JSON.stringify(patch)).toBe(409);
        expect(res.body).toMatchObject({ code: "cannot_change_self", message: expect.any(String) });
      }
      const self = await api.delete(`/api/admin/users/${admin.id}`);
      expect(self.status).toBe(409);
      expect(self.body.code).toBe("cannot_delete_self");
      expect((await api.get(`/api/admin/users/${admin.id}`)).body.user).toMatchObject({ role: "admin", disabled: false });

      const person = await registerWithEmail(app);
      const personToken = (await scriptSignIn(app, person)).accessToken;
      const asPerson = as(app, personToken);
      const someSession = (await api.get(`/api/admin/users/${person.id}`)).body.sessions[0].id as string;
      const forbidden = [
        await asPerson.get(`/api/admin/users/${admin.id}`),
        await asPerson.post("/api/admin/users", { username: uniqueName("no") }),
        await asPerson.post(`/api/admin/users/${admin.id}/password-reset`),
        await asPerson.delete(`/api/admin/users/${person.id}/sessions/${someSession}`),
      ];
      for (const res of forbidden) expect([res.status, res.body.code]).toEqual([403, "forbidden"]);
      const anonymous = await app.script().get(`/api/admin/users/${admin.id}`);
      expect(anonymous.status).toBe(401);

      const missing = [
        await api.get(`/api/admin/users/${UNKNOWN_ID}`),
        await api.get("/api/admin/users/not-an-id"),
        await api.post(`/api/admin/users/${UNKNOWN_ID}/password-reset`),
        await api.patch(`/api/admin/users/${UNKNOWN_ID}`, { disabled: true }),
        await api.delete(`/api/admin/users/${UNKNOWN_ID}`),
        await api.delete(`/api/admin/users/${UNKNOWN_ID}/sessions/${someSession}`),
      ];
      for (const res of missing) expect([res.status, res.body.code]).toEqual([404, "not_found"]);
      expect((await app.script().get("/api/me", { bearer: personToken })).status).toBe(200);
    });

    it("every action is in the audit log with the acting admin", async () => {
      const admin = await newAdmin(app);
      const api = as(app, admin.token);
      const created = await api.post("/api/admin/users", { username: uniqueName("aud") });
      expect(created.status).toBe(201);
      const user = await registerWithEmail(app);
      await scriptSignIn(app, user);
      const sessionId = (await api.get(`/api/admin/users/${user.id}`)).body.sessions[0].id as string;
      expect((await api.delete(`/api/admin/users/${user.id}/sessions/${sessionId}`)).status).toBe(204);
      expect((await api.post(`/api/admin/users/${user.id}/password-reset`)).status).toBe(202);
      expect((await api.patch(`/api/admin/users/${user.id}`, { role: "admin" })).status).toBe(200);
      expect((await api.patch(`/api/admin/users/${user.id}`, { role: "user", disabled: true })).status).toBe(200);
      expect((await api.post(`/api/admin/users/${user.id}/revoke-sessions`)).status).toBe(204);
      expect((await api.delete(`/api/admin/users/${created.body.user.id}`)).status).toBe(204);

      // The admin's own sign-up and sign-in name them as actor too; the rest are their actions.
      const events = (await eventsBy(app, admin)).filter((e) => (e.user as { id?: string } | null)?.id !== admin.id);
      expect(events.map((e) => e.type)).toEqual([
        "user_deleted",
        "sessions_revoked_by_admin",
        "user_disabled",
        "role_changed",
        "role_changed",
        "password_reset_by_admin",
        "session_revoked_by_admin",
        "user_created_by_admin",
      ]);
      for (const e of events) expect(e.actor).toEqual({ id: admin.id, username: admin.username });
      expect(events.find((e) => e.type === "password_reset_by_admin")).toMatchObject({
        user: { id: user.id },
        detail: { mailed: true, sessionsEnded: 0 },
      });
    });
  });
});
