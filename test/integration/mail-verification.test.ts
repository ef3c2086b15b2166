// SPEC "Mail": signing up with an email mails a `/verify-email` link; using it marks the address
// verified (once); a new link can be asked for while unverified and voids the older one. With
// EMAIL_VERIFICATION=required, sign-up needs an email and a correct password on an unverified
// account is a 403 `email_unverified` that mails a fresh link, while a wrong one reveals nothing.
import { describe, expect, it } from "vitest";
import type { App } from "../support/app";
import { HTTP_LAYER_PROVIDERS } from "../support/app";
import { GOOD_PASSWORD, uniqueName } from "../support/client";
import { mailsTo, registerWithEmail, SUBJECTS, scriptSignIn, sleep, useMailApp, waitForMail } from "../support/mail-app";
import { linkFrom } from "../support/smtp";

describe.each(HTTP_LAYER_PROVIDERS)("email verification on %s", (provider) => {
  const mail = useMailApp(provider);
  const app: App = mail.app;

  const verify = (token: string) => app.script().post("/api/auth/email/verify", { token });
  const me = async (bearer: string) => {
    const res = await app.script().get("/api/me", { bearer });
    expect(res.status, res.text).toBe(200);
    return res.body.user;
  };
  const resend = (bearer: string) => app.script().post("/api/account/email/verification", undefined, { bearer });

  it("sign-up mails a link; it verifies the address once; asking again when verified is a 409", async () => {
    const user = await registerWithEmail(app);
    const message = await waitForMail(mail.smtp, user.email, SUBJECTS.verify);
    expect(message.envelope.to).toEqual([user.email]);
    const { url, token } = linkFrom(message, "/verify-email");
    expect(url).toBe(`${app.url}/verify-email?token=${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(typeof message.html).toBe("string");

    const session = await scriptSignIn(app, user);
    expect(await me(session.accessToken)).toMatchObject({ email: user.email, emailVerified: false });

    const res = await verify(token);
    expect(res.status, res.text).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, username: user.username, email: user.email, emailVerified: true });
    expect(await me(session.accessToken)).toMatchObject({ email: user.email, emailVerified: true });

    const again = await verify(token);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: "invalid_token", message: expect.any(String) });

    const verified = await resend(session.accessToken);
    expect(verified.status).toBe(409);
    expect(verified.body).toEqual({ code: "already_verified", message: expect.any(String) });
    await sleep(300);
    expect(mailsTo(mail.smtp, user.email, SUBJECTS.verify), "no new mail once verified").toHaveLength(1);
  });

  it("sign-up without an email sends nothing, and there is nothing to resend", async () => {
    const user = await app.newUser();
    const session = await scriptSignIn(app, user);
    expect(await me(session.accessToken)).toMatchObject({ email: null, emailVerified: false });
    const res = await resend(session.accessToken);
    expect(res.status).toBe(409);
    expect(res.body.code).not.toBe("already_verified");
  });

  it("resend while unverified: 202, a new mail, and the older link is void", async () => {
    const user = await registerWithEmail(app);
    const first = linkFrom(await waitForMail(mail.smtp, user.email, SUBJECTS.verify, 1), "/verify-email").token;
    const session = await scriptSignIn(app, user);
    const res = await resend(session.accessToken);
    expect(res.status, res.text).toBe(202);
    expect(res.body).toEqual({ message: expect.any(String) });
    const second = linkFrom(await waitForMail(mail.smtp, user.email, SUBJECTS.verify, 2), "/verify-email").token;
    expect(second).not.toBe(first);

    const stale = await verify(first);
    expect(stale.status).toBe(400);
    expect(stale.body.code).toBe("invalid_token");
    expect(await me(session.accessToken)).toMatchObject({ emailVerified: false });
    expect((await verify(second)).status).toBe(200);
    expect(await me(session.accessToken)).toMatchObject({ emailVerified: true });
  });

  it("two concurrent uses of one link: exactly one 200, the other 400", async () => {
    const user = await registerWithEmail(app);
    const token = linkFrom(await waitForMail(mail.smtp, user.email, SUBJECTS.verify), "/verify-email").token;
    const answers = await Promise.all([verify(token), verify(token), verify(token)]);
    expect(answers.map((a) => a.status).sort(), answers.map((a) => a.text).join(" | ")).toEqual([200, 400, 400]);
  });

  it("the /verify-email page answers 200 with referrer-policy no-referrer and spends nothing", async () => {
    const user = await registerWithEmail(app);
    const token = linkFrom(await waitForMail(mail.smtp, user.email, SUBJECTS.verify), "/verify-email").token;
    const page = await fetch(`${app.url}/verify-email?token=${token}`, { redirect: "manual" });
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect((await verify(token)).status, "the link still works after the page was opened").toBe(200);
  });

  it("a fourth resend within 10 minutes is a 429 with Retry-After and mails nothing", async () => {
    const user = await registerWithEmail(app);
    const session = await scriptSignIn(app, user);
    for (let i = 0; i < 3; i++) expect((await resend(session.accessToken)).status, `resend #${i + 1}`).toBe(202);
    const fourth = await resend(session.accessToken);
    expect(fourth.status).toBe(429);
    expect(fourth.body.code).toBe("too_many_attempts");
    expect(Number(fourth.headers.get("retry-after"))).toBeGreaterThan(0);
    await waitForMail(mail.smtp, user.email, SUBJECTS.verify, 4);
    await sleep(300);
    expect(mailsTo(mail.smtp, user.email, SUBJECTS.verify), "sign-up + 3 resends").toHaveLength(4);
  });

  it("resend needs a signed-in caller", async () => {
    const res = await app.script().post("/api/account/email/verification");
    expect(res.status).toBe(401);
  });

  describe("with EMAIL_VERIFICATION=required", () => {
    const strict = useMailApp(provider, { env: { EMAIL_VERIFICATION: "required" } });
    const login = (username: string, password: string) =>
      strict.app.script().post("/api/auth/login", { username, password, token_delivery: "body" });

    it("sign-up without an email is a 422 naming the email field", async () => {
      const res = await strict.app.script().post("/api/auth/register", { username: uniqueName(), password: GOOD_PASSWORD });
      expect(res.status, res.text).toBe(422);
      expect(res.body.fields?.email).toEqual([expect.any(String)]);
      const empty = await strict.app.script().post("/api/auth/register", { username: uniqueName(), password: GOOD_PASSWORD, email: "" });
      expect(empty.status).toBe(422);
      expect(empty.body.fields?.email).toEqual([expect.any(String)]);
    });

    it("unverified: the right password is a 403 email_unverified that mails a new link; a wrong one is a plain 401", async () => {
      const user = await registerWithEmail(strict.app);
      const signUpLink = linkFrom(await waitForMail(strict.smtp, user.email, SUBJECTS.verify, 1), "/verify-email").token;

      const refused = await login(user.username, user.password);
      expect(refused.status, refused.text).toBe(403);
      expect(refused.body).toEqual({ code: "email_unverified", message: expect.any(String) });
      expect(refused.headers.get("set-cookie")).toBeNull();
      expect(refused.body.access_token).toBeUndefined();
      const fresh = linkFrom(await waitForMail(strict.smtp, user.email, SUBJECTS.verify, 2), "/verify-email").token;
      expect(fresh).not.toBe(signUpLink);

      const wrong = await login(user.username, "a wrong password entirely");
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ code: "invalid_credentials", message: expect.any(String) });
      const unknown = await login(uniqueName("ghost"), "a wrong password entirely");
      expect(unknown.text).toBe(wrong.text);
      await sleep(300);
      expect(mailsTo(strict.smtp, user.email, SUBJECTS.verify), "a wrong password mails nothing").toHaveLength(2);

      const verified = await strict.app.script().post("/api/auth/email/verify", { token: fresh });
      expect(verified.status, verified.text).toBe(200);
      expect(verified.body.user.emailVerified).toBe(true);
      const ok = await login(user.username, user.password);
      expect(ok.status, ok.text).toBe(200);
      expect(ok.body.user).toMatchObject({ email: user.email, emailVerified: true });
      // Signing in by the email address works the same way.
      expect((await login(user.email, user.password)).status).toBe(200);
    });

    it("refused sign-ins keep answering 403 but mail at most 3 new links in 10 minutes", async () => {
      const user = await registerWithEmail(strict.app);
      await waitForMail(strict.smtp, user.email, SUBJECTS.verify, 1);
      for (let i = 0; i < 5; i++) {
        const res = await login(user.username, user.password);
        expect(res.status, `sign-in #${i + 1}`).toBe(403);
        expect(res.body.code).toBe("email_unverified");
      }
      await waitForMail(strict.smtp, user.email, SUBJECTS.verify, 4);
      await sleep(500);
      expect(mailsTo(strict.smtp, user.email, SUBJECTS.verify), "sign-up + 3").toHaveLength(4);
    });
  });
});
