// SPEC "Admin console" with EMAIL_DELIVERY=off: creating an account and an admin's password reset
// hand back the link (setup_url, reset_url) instead of mailing it. Over HTTP, on SQLite and
// PostgreSQL; the mailed variants are in admin-actions.test.ts.
import { describe, expect, it } from "vitest";
import { as, eventsBy, login, NEW_PASSWORD, setPassword, tokenOf } from "../support/admin-api";
import { HTTP_LAYER_PROVIDERS, useApp } from "../support/app";
import { GOOD_PASSWORD, uniqueName } from "../support/client";
import { newAdmin, scriptSignIn } from "../support/mail-app";
import { withinOneSecond } from "../support/within";

describe.each(HTTP_LAYER_PROVIDERS)("admin actions on %s", (provider) => {
  describe("EMAIL_DELIVERY=off", () => {
    const app = useApp(provider, { shared: true });

    it("create answers 201 with setup_url even with an email; the link sets the password and the person signs in", async () => {
      const admin = await newAdmin(app);
      const username = uniqueName("off");
      const res = await as(app, admin.token).post("/api/admin/users", { username, email: `${username}@example.com` });
      expect(res.status, res.text).toBe(201);
      expect(res.body.setup_url).toMatch(new RegExp(`^${app.url}/reset-password\\?token=[A-Za-z0-9_-]{43}$`));
      await setPassword(app, tokenOf(res.body.setup_url));
      const signedIn = await login(app, username, NEW_PASSWORD);
      expect(signedIn.status, signedIn.text).toBe(200);
      // Single use: the link is spent.
      const again = await app.script().post("/api/auth/password/reset", { token: tokenOf(res.body.setup_url), password: GOOD_PASSWORD });
      expect(again.status).toBe(400);
    });

    it("password reset answers 200 {reset_url}; the sessions end and the link works", async () => {
      const admin = await newAdmin(app);
      const user = await app.newUser();
      const signed = await scriptSignIn(app, user);
      const res = await as(app, admin.token).post(`/api/admin/users/${user.id}/password-reset`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ reset_url: expect.stringMatching(new RegExp(`^${app.url}/reset-password\\?token=`)) });
      await withinOneSecond(async () => {
        expect((await app.script().get("/api/me", { bearer: signed.accessToken })).status).toBe(401);
      });
      await setPassword(app, tokenOf(res.body.reset_url));
      expect((await login(app, user.username, NEW_PASSWORD)).status).toBe(200);
      const [event] = (await eventsBy(app, admin)).filter((e) => e.type === "password_reset_by_admin");
      expect(event).toMatchObject({ actor: { id: admin.id }, user: { id: user.id }, detail: { mailed: false, sessionsEnded: 1 } });
    });
  });
});
