// SPEC "Mail": `POST /api/account/email` (fresh authentication) mails a `/confirm-email` link to
// the new address and a notice to the old one; the address changes only when the link is used.
// A stale sign-in gets 403 `reauthentication_required` until `POST /api/auth/reauthenticate`.
// Two accounts confirming the same address at once: one wins, the other gets a clean refusal.
import { describe, expect, it } from "vitest";
import type { App } from "../support/app";
import { HTTP_LAYER_PROVIDERS } from "../support/app";
import { uniqueName } from "../support/client";
import { browserSignIn, mailsTo, registerWithEmail, SUBJECTS, scriptSignIn, sleep, useMailApp, waitForMail } from "../support/mail-app";
import { linkFrom } from "../support/smtp";

const newAddress = () => `${uniqueName("new")}@example.org`;

describe.each(HTTP_LAYER_PROVIDERS)("email change on %s", (provider) => {
  const mail = useMailApp(provider);
  const app: App = mail.app;

  const confirm = (token: string) => app.script().post("/api/auth/email/confirm", { token });
  const me = async (bearer: string) => {
    const res = await app.script().get("/api/me", { bearer });
    expect(res.status, res.text).toBe(200);
    return res.body.user;
  };

  it("fresh sign-in: 202, a link to the new address, a notice to the old one, and no change until the link is used", async () => {
    const user = await registerWithEmail(app);
    const session = await browserSignIn(app, user);
    const target = newAddress();

    const res = await session.client.post("/api/account/email", { email: target });
    expect(res.status, res.text).toBe(202);
    expect(res.body).toEqual({ message: expect.any(String) });

    const message = await waitForMail(mail.smtp, target, SUBJECTS.change);
    expect(message.envelope.to).toEqual([target]);
    const { url, token } = linkFrom(message, "/confirm-email");
    expect(url).toBe(`${app.url}/confirm-email?token=${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(typeof message.html).toBe("string");

    const notice = await waitForMail(mail.smtp, user.email, SUBJECTS.notice);
    expect(notice.envelope.to).toEqual([user.email]);
    // The old address is told, but never handed the link that would confirm the new one.
    expect(notice.text).not.toContain(token);
    expect(String(notice.html)).not.toContain(token);
    expect(notice.text).not.toContain("/confirm-email");

    expect(await me(session.accessToken)).toMatchObject({ email: user.email, emailVerified: false });

    const confirmed = await confirm(token);
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.user).toMatchObject({ id: user.id, email: target, emailVerified: true });
    expect(await me(session.accessToken)).toMatchObject({ email: target, emailVerified: true });

    const byNew = await app.script().post("/api/auth/login", { username: target, password: user.password });
    expect(byNew.status, "sign-in by the new address").toBe(200);
    const byOld = await app.script().post("/api/auth/login", { username: user.email, password: user.password });
    expect(byOld.status, "sign-in by the old address").toBe(401);

    const again = await confirm(token);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: "invalid_token", message: expect.any(String) });
  });

  it("the old address's verification link is void once the address changed", async () => {
    const user = await registerWithEmail(app);
    const verification = linkFrom(await waitForMail(mail.smtp, user.email, SUBJECTS.verify), "/verify-email").token;
    const session = await scriptSignIn(app, user);
    const target = newAddress();
    expect((await app.script().post("/api/account/email", { email: target }, { bearer: session.accessToken })).status).toBe(202);
    const token = linkFrom(await waitForMail(mail.smtp, target, SUBJECTS.change), "/confirm-email").token;
    expect((await confirm(token)).status).toBe(200);
    const stale = await app.script().post("/api/auth/email/verify", { token: verification });
    expect(stale.status).toBe(400);
    expect(stale.body.code).toBe("invalid_token");
    expect(await me(session.accessToken)).toMatchObject({ email: target, emailVerified: true });
  });

  it("two concurrent uses of one link: exactly one 200, the others 400", async () => {
    const user = await registerWithEmail(app);
    const session = await scriptSignIn(app, user);
    const target = newAddress();
    expect((await app.script().post("/api/account/email", { email: target }, { bearer: session.accessToken })).status).toBe(202);
    const token = linkFrom(await waitForMail(mail.smtp, target, SUBJECTS.change), "/confirm-email").token;
    const answers = await Promise.all([confirm(token), confirm(token), confirm(token)]);
    expect(answers.map((a) => a.status).sort(), answers.map((a) => a.text).join(" | ")).toEqual([200, 400, 400]);
  });

  it("an address someone signed up with in the meantime: confirm is a 409 and nothing changes", async () => {
    const user = await registerWithEmail(app);
    const session = await scriptSignIn(app, user);
    const target = newAddress();
    expect((await app.script().post("/api/account/email", { email: target }, { bearer: session.accessToken })).status).toBe(202);
    const token = linkFrom(await waitForMail(mail.smtp, target, SUBJECTS.change), "/confirm-email").token;
    const squatter = await app.script().post("/api/auth/register", { username: uniqueName("sq"), email: target, password: user.password });
    expect(squatter.status, squatter.text).toBe(201);
    const res = await confirm(token);
    expect(res.status, res.text).toBe(409);
    expect(res.body.code).toBe("email_taken");
    expect(await me(session.accessToken)).toMatchObject({ email: user.email });
  });

  it("the /confirm-email page answers 200 with referrer-policy no-referrer and spends nothing", async () => {
    const user = await registerWithEmail(app);
    const session = await scriptSignIn(app, user);
    const target = newAddress();
    expect((await app.script().post("/api/account/email", { email: target }, { bearer: session.accessToken })).status).toBe(202);
    const token = linkFrom(await waitForMail(mail.smtp, target, SUBJECTS.change), "/confirm-email").token;
    const page = await fetch(`${app.url}/confirm-email?token=${token}`, { redirect: "manual" });
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect((await confirm(token)).status, "the link still works after the page was opened").toBe(200);
  });

  it("a fourth change request within 10 minutes is a 429 with Retry-After", async () => {
    const user = await registerWithEmail(app);
    const session = await scriptSignIn(app, user);
    for (let i = 0; i < 3; i++) {
      const res = await app.script().post("/api/account/email", { email: newAddress() }, { bearer: session.accessToken });
      expect(res.status, `request #${i + 1}`).toBe(202);
    }
    const fourth = await app.script().post("/api/account/email", { email: newAddress() }, { bearer: session.accessToken });
    expect(fourth.status).toBe(429);
    expect(fourth.body.code).toBe("too_many_attempts");
    expect(Number(fourth.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("an address another account has is a 409, however it is typed", async () => {
    const owner = await registerWithEmail(app);
    const user = await registerWithEmail(app);
    const session = await scriptSignIn(app, user);
    for (const email of [owner.email, owner.email.toUpperCase()]) {
      const res = await app.script().post("/api/account/email", { email }, { bearer: session.accessToken });
      expect(res.status, res.text).toBe(409);
      expect(res.body.code).toBe("email_taken");
    }
    await sleep(300);
    expect(mailsTo(mail.smtp, owner.email, SUBJECTS.change)).toHaveLength(0);
    expect(mailsTo(mail.smtp, user.email, SUBJECTS.notice)).toHaveLength(0);
  });

  it("needs a signed-in caller", async () => {
    const res = await app.script().post("/api/account/email", { email: newAddress() });
    expect(res.status).toBe(401);
  });

  it("two accounts racing to confirm the same new address: exactly one 200, the other 409 or 400, never a 5xx", async () => {
    for (let round = 0; round < 3; round++) {
      const target = newAddress();
      const racers = [await registerWithEmail(app), await registerWithEmail(app)];
      const sessions = await Promise.all(racers.map((u) => scriptSignIn(app, u)));
      for (const s of sessions) {
        const res = await app.script().post("/api/account/email", { email: target }, { bearer: s.accessToken });
        expect(res.status, res.text).toBe(202);
      }
      const first = await waitForMail(mail.smtp, target, SUBJECTS.change, 1);
      const second = await waitForMail(mail.smtp, target, SUBJECTS.change, 2);
      const tokens = [linkFrom(first, "/confirm-email").token, linkFrom(second, "/confirm-email").token];
      const answers = await Promise.all(tokens.map((t) => confirm(t)));
      const statuses = answers.map((a) => a.status);
      const detail = answers.map((a) => `${a.status} ${a.text}`).join(" | ");
      for (const status of statuses) expect(status, detail).toBeLessThan(500);
      expect(
        statuses.filter((s) => s === 200),
        detail,
      ).toHaveLength(1);
      const loser = answers.find((a) => a.status !== 200);
      expect([409, 400], detail).toContain(loser?.status);
      expect(loser?.body.code, detail).toMatch(/^(email_taken|invalid_token)$/);
      const emails = await Promise.all(sessions.map(async (s) => (await me(s.accessToken)).email));
      expect(
        emails.filter((e) => e === target),
        emails.join(", "),
      ).toHaveLength(1);
    }
  });

  describe("with a stale sign-in (REAUTH_TTL=3s)", () => {
    const short = useMailApp(provider, { env: { REAUTH_TTL: "3s" } });

    it("403 reauthentication_required; reauthenticate: wrong password 401, right one 204, then the change goes through", async () => {
      const user = await registerWithEmail(short.app);
      const session = await scriptSignIn(short.app, user);
      const change = (email: string) => short.app.script().post("/api/account/email", { email }, { bearer: session.accessToken });
      const reauth = (password: string) =>
        short.app.script().post("/api/auth/reauthenticate", { password }, { bearer: session.accessToken });
      await sleep(3_500);

      const target = newAddress();
      const stale = await change(target);
      expect(stale.status, stale.text).toBe(403);
      expect(stale.body).toEqual({ code: "reauthentication_required", message: expect.any(String) });

      const wrong = await reauth("a wrong password entirely");
      expect(wrong.status, wrong.text).toBe(401);
      expect(wrong.body.code).toBe("invalid_credentials");
      expect((await change(target)).status, "still stale after a wrong password").toBe(403);

      const right = await reauth(user.password);
      expect(right.status, right.text).toBe(204);
      const fresh = await change(target);
      expect(fresh.status, fresh.text).toBe(202);
      const token = linkFrom(await waitForMail(short.smtp, target, SUBJECTS.change), "/confirm-email").token;
      await waitForMail(short.smtp, user.email, SUBJECTS.notice);
      const confirmed = await short.app.script().post("/api/auth/email/confirm", { token });
      expect(confirmed.status, confirmed.text).toBe(200);
      expect(confirmed.body.user).toMatchObject({ email: target, emailVerified: true });

      // Freshness lasts REAUTH_TTL, then it is needed again.
      await sleep(3_500);
      const later = await change(newAddress());
      expect(later.status).toBe(403);
      expect(later.body.code).toBe("reauthentication_required");
      expect(mailsTo(short.smtp, target, SUBJECTS.change), "refused requests mailed nothing").toHaveLength(1);
    });

    it("reauthentication needs a signed-in caller", async () => {
      const res = await short.app.script().post("/api/auth/reauthenticate", { password: "whatever it may be" });
      expect(res.status).toBe(401);
    });
  });
});
