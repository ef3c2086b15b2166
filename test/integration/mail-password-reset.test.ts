// SPEC "Mail, email verification and password reset": "forgot password" mails a single-use link
// (its own line in the text part, `${APP_URL}/reset-password?token=<256 bits>`), using it sets a
// new password and ends every session, a second request or a password change voids it, and a
// link of one purpose is refused everywhere else. Tokens never reach the audit log or the logs.
import { describe, expect, it } from "vitest";
import type { App } from "../support/app";
import { HTTP_LAYER_PROVIDERS } from "../support/app";
import {
  allAuditEvents,
  browserSignIn,
  mailsTo,
  newAdmin,
  registerWithEmail,
  type SignedIn,
  SUBJECTS,
  scriptSignIn,
  sleep,
  useMailApp,
  waitForMail,
} from "../support/mail-app";
import { linkFrom, type MailLinkPath, type SmtpMessage } from "../support/smtp";
import { withinOneSecond } from "../support/within";

const NEW_PASSWORD = "quiet lantern harbour meadow 47";
const OTHER_PASSWORD = "velvet compass drifting north 83";
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe.each(HTTP_LAYER_PROVIDERS)("password reset by mail on %s", (provider) => {
  // debug: the most the server ever logs, so "never in the logs" is checked at its widest.
  const mail = useMailApp(provider, { env: { LOG_LEVEL: "debug" } });
  const app: App = mail.app;
  /** Every token this suite saw, for the audit-log and server-output checks at the end. */
  const tokens = new Set<string>();

  const link = (message: SmtpMessage, path: MailLinkPath) => {
    const found = linkFrom(message, path);
    tokens.add(found.token);
    return found;
  };

  const forgot = (identifier: string) => app.script().post("/api/auth/password/forgot", { identifier });
  const reset = (token: string, password: string) => app.script().post("/api/auth/password/reset", { token, password });
  const login = (username: string, password: string) => app.script().post("/api/auth/login", { username, password });

  /** Asks for a reset by `identifier` and returns the link of the `nth` reset mail to `email`. */
  async function resetLink(identifier: string, email: string, nth = 1): Promise<string> {
    const res = await forgot(identifier);
    expect(res.status, res.text).toBe(202);
    return link(await waitForMail(mail.smtp, email, SUBJECTS.reset, nth), "/reset-password").token;
  }

  function expectLinkLine(message: SmtpMessage): string {
    const line = new RegExp(`^${escapeRegExp(app.url)}/reset-password\\?token=[A-Za-z0-9_-]{43}$`);
    const { url, token } = link(message, "/reset-password");
    expect(url).toMatch(line);
    expect(message.text.split(/\r?\n/)).toContain(url);
    expect(token).toHaveLength(43);
    expect(typeof message.html, "an HTML part").toBe("string");
    expect(message.html as string).toContain(url);
    return token;
  }

  it("forgot by username and by email: 202, then exactly one mail with the link on its own line and an HTML part", async () => {
    for (const by of ["username", "email"] as const) {
      const user = await registerWithEmail(app);
      const res = await forgot(by === "username" ? user.username : user.email.toUpperCase());
      expect(res.status, res.text).toBe(202);
      expect(res.body).toEqual({ message: expect.any(String) });
      const message = await waitForMail(mail.smtp, user.email, SUBJECTS.reset);
      expect(message.envelope.to).toEqual([user.email]);
      expectLinkLine(message);
      await sleep(500);
      expect(mailsTo(mail.smtp, user.email, SUBJECTS.reset), `reset mails by ${by}`).toHaveLength(1);
      // The sign-up's verification mail and the reset link: nothing else went to the address.
      expect(mail.smtp.messages.filter((m) => m.to.includes(user.email)).map((m) => m.subject)).toHaveLength(2);
    }
  });

  it("reset: 204, the old password refused and the new one works, every session ended within 1 s, a notice mailed", async () => {
    const user = await registerWithEmail(app);
    const cookie: SignedIn = await browserSignIn(app, user);
    const bearer: SignedIn = await scriptSignIn(app, user);
    expect((await cookie.client.get("/api/me")).status).toBe(200);
    expect((await app.script().get("/api/me", { bearer: bearer.accessToken })).status).toBe(200);
    const token = await resetLink(user.username, user.email);

    const res = await reset(token, NEW_PASSWORD);
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe("");

    await withinOneSecond(async () => {
      expect((await cookie.client.get("/api/me")).status, "cookie session").toBe(401);
      expect((await app.script().get("/api/me", { bearer: cookie.accessToken })).status, "cookie session's token as Bearer").toBe(401);
      expect((await app.script().get("/api/me", { bearer: bearer.accessToken })).status, "Bearer session").toBe(401);
      expect((await app.script().get("/api/protected", { bearer: bearer.accessToken })).status).toBe(401);
    });
    const cookieRefresh = await cookie.client.post("/api/auth/refresh");
    expect(cookieRefresh.status, "refresh cookie").toBe(401);
    const bodyRefresh = await app.script().post("/api/auth/refresh", { refresh_token: bearer.refreshToken });
    expect(bodyRefresh.status, "refresh token in a body").toBe(401);
    const replayedCookie = await app.script().post("/api/auth/refresh", { refresh_token: cookie.refreshToken });
    expect(replayedCookie.status, "the cookie's refresh token in a body").toBe(401);

    const old = await login(user.username, user.password);
    expect(old.status).toBe(401);
    expect(old.body.code).toBe("invalid_credentials");
    expect((await login(user.username, NEW_PASSWORD)).status).toBe(200);

    const notice = await waitForMail(mail.smtp, user.email, SUBJECTS.changed);
    expect(notice.envelope.to).toEqual([user.email]);
    expect(notice.text).not.toContain(token);

    const again = await reset(token, OTHER_PASSWORD);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: "invalid_token", message: expect.any(String) });
    expect((await login(user.username, NEW_PASSWORD)).status).toBe(200);
  });

  it("two concurrent resets with one link: exactly one 204, the other 400, and the winner's password is the one that works", async () => {
    for (let round = 0; round < 3; round++) {
      const user = await registerWithEmail(app);
      const token = await resetLink(user.username, user.email);
      const candidates = [NEW_PASSWORD, OTHER_PASSWORD];
      const answers = await Promise.all(candidates.map((p) => reset(token, p)));
      expect(answers.map((a) => a.status).sort(), answers.map((a) => a.text).join(" | ")).toEqual([204, 400]);
      const loser = answers.find((a) => a.status === 400);
      expect(loser?.body.code).toBe("invalid_token");
      const winner = candidates[answers.findIndex((a) => a.status === 204)] as string;
      const other = candidates.find((p) => p !== winner) as string;
      expect((await login(user.username, winner)).status, "the winner's password").toBe(200);
      expect((await login(user.username, other)).status, "the loser's password").toBe(401);
      expect((await login(user.username, user.password)).status, "the old password").toBe(401);
    }
  });

  it("a second forgot voids the first link", async () => {
    const user = await registerWithEmail(app);
    const first = await resetLink(user.username, user.email, 1);
    const second = await resetLink(user.email, user.email, 2);
    expect(second).not.toBe(first);
    const stale = await reset(first, NEW_PASSWORD);
    expect(stale.status).toBe(400);
    expect(stale.body.code).toBe("invalid_token");
    expect((await login(user.username, user.password)).status, "the void link changed nothing").toBe(200);
    expect((await reset(second, NEW_PASSWORD)).status).toBe(204);
    expect((await login(user.username, NEW_PASSWORD)).status).toBe(200);
  });

  it("two forgot requests at the same moment leave one live link, not two", async () => {
    // A link is live when a policy-refused password gets 422 (checked after the link, before it
    // is spent) rather than 400 invalid_token: a probe that spends nothing.
    const outcomes: string[] = [];
    for (let round = 0; round < 6; round++) {
      const user = await registerWithEmail(app);
      const answers = await Promise.all([forgot(user.username), forgot(user.email)]);
      expect(answers.map((a) => a.status)).toEqual([202, 202]);
      await waitForMail(mail.smtp, user.email, SUBJECTS.reset, 2);
      const live: number[] = [];
      for (const message of mailsTo(mail.smtp, user.email, SUBJECTS.reset)) {
        live.push((await reset(link(message, "/reset-password").token, `${user.username} is my password now`)).status);
      }
      outcomes.push(live.join("/"));
    }
    expect(
      outcomes.filter((o) => o === "422/422"),
      `probe statuses per round: ${outcomes.join(", ")}`,
    ).toEqual([]);
  });

  it("a malformed forgot body is a 422 (or 400 for broken JSON)", async () => {
    for (const body of [{}, { identifier: "" }, { identifier: 5 }, { identifier: "someone", role: "admin" }]) {
      const res = await app.script().post("/api/auth/password/forgot", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.code).toBe("validation_failed");
    }
    const broken = await app
      .script()
      .request("POST", "/api/auth/password/forgot", { body: "{nope", headers: { "content-type": "application/json" } });
    expect(broken.status).toBe(400);
  });

  it("a password change through POST /api/account/password voids an outstanding reset link", async () => {
    const user = await registerWithEmail(app);
    const token = await resetLink(user.username, user.email);
    const session = await scriptSignIn(app, user);
    const change = await app
      .script()
      .post("/api/account/password", { currentPassword: user.password, newPassword: NEW_PASSWORD }, { bearer: session.accessToken });
    expect(change.status, change.text).toBe(204);
    const res = await reset(token, OTHER_PASSWORD);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_token");
    expect((await login(user.username, NEW_PASSWORD)).status).toBe(200);
    expect((await login(user.username, OTHER_PASSWORD)).status).toBe(401);
  });

  it("links are bound to their purpose: a verification token cannot reset, a reset token cannot verify, and neither is spent", async () => {
    const user = await registerWithEmail(app);
    const verification = link(await waitForMail(mail.smtp, user.email, SUBJECTS.verify), "/verify-email").token;
    const resetToken = await resetLink(user.username, user.email);

    const asReset = await reset(verification, NEW_PASSWORD);
    expect(asReset.status).toBe(400);
    expect(asReset.body).toEqual({ code: "invalid_token", message: expect.any(String) });
    const asVerify = await app.script().post("/api/auth/email/verify", { token: resetToken });
    expect(asVerify.status).toBe(400);
    expect(asVerify.body).toEqual(asReset.body);
    const asConfirm = await app.script().post("/api/auth/email/confirm", { token: resetToken });
    expect(asConfirm.status).toBe(400);
    expect(asConfirm.body.code).toBe("invalid_token");
    expect((await login(user.username, user.password)).status, "the password did not change").toBe(200);

    // Refused elsewhere, each still works where it belongs.
    const verified = await app.script().post("/api/auth/email/verify", { token: verification });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body.user.emailVerified).toBe(true);
    expect((await reset(resetToken, NEW_PASSWORD)).status).toBe(204);
  });

  it("unknown and malformed tokens get the same 400 as a used one", async () => {
    const unknown = await reset("A".repeat(43), NEW_PASSWORD);
    const malformed = await reset("not-a-token", NEW_PASSWORD);
    expect(unknown.status).toBe(400);
    expect(malformed.status).toBe(400);
    expect(unknown.body).toEqual({ code: "invalid_token", message: expect.any(String) });
    expect(malformed.body).toEqual(unknown.body);
  });

  it("a weak password on reset is a 422 and leaves the link usable", async () => {
    const user = await registerWithEmail(app);
    const token = await resetLink(user.username, user.email);
    const short = await reset(token, "short");
    expect(short.status).toBe(422);
    expect(short.body.fields?.password).toEqual([expect.any(String)]);
    // Long enough for the schema, refused by the server's policy (it contains the username).
    const withName = await reset(token, `${user.username} is my password now`);
    expect(withName.status, withName.text).toBe(422);
    expect(withName.body.fields?.password?.length).toBeGreaterThan(0);
    expect((await login(user.username, user.password)).status, "nothing changed yet").toBe(200);
    const good = await reset(token, NEW_PASSWORD);
    expect(good.status, good.text).toBe(204);
    expect((await login(user.username, NEW_PASSWORD)).status).toBe(200);
  });

  it("the reset page /reset-password?token=… answers 200", async () => {
    const user = await registerWithEmail(app);
    const token = await resetLink(user.username, user.email);
    const res = await fetch(`${app.url}/reset-password?token=${token}`, { redirect: "manual" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    // Opening the page spends nothing: the link still works.
    expect((await reset(token, NEW_PASSWORD)).status).toBe(204);
  });

  // strict-origin, not no-referrer: under no-referrer Chromium posts the form without JavaScript
  // with "Origin: null", which Next refuses as a server action. Either keeps the token out.
  it("no Referer from the reset page can carry its path or token (header and meta)", async () => {
    const token = "B".repeat(43);
    tokens.add(token);
    const res = await fetch(`${app.url}/reset-password?token=${token}`, { redirect: "manual" });
    expect(res.status).toBe(200);
    expect(res.headers.get("referrer-policy")).toMatch(/^(no-referrer|strict-origin)$/);
    const metas = [...(await res.text()).matchAll(/<meta name="referrer" content="([^"]*)"/g)].map((m) => m[1]);
    for (const policy of metas) expect(policy).toMatch(/^(no-referrer|strict-origin)$/);
  });

  it("no token ever appears in the audit log (detail, subject, user agent) or in the server's output", async () => {
    // Runs last: by now the suite has issued, spent, reused and mis-used links of every kind.
    expect(tokens.size).toBeGreaterThan(10);
    const admin = await newAdmin(app);
    const events = await allAuditEvents(app, admin.token);
    const types = new Set(events.map((e) => e.type));
    for (const type of ["password_reset_requested", "password_reset", "password_reset_failed"]) expect(types).toContain(type);
    for (const event of events) {
      const fields = { detail: JSON.stringify(event.detail ?? null), subject: String(event.subject), userAgent: String(event.userAgent) };
      const whole = JSON.stringify(event);
      for (const token of tokens) {
        for (const [name, value] of Object.entries(fields)) expect(value.includes(token), `${event.type}.${name}`).toBe(false);
        expect(whole.includes(token), `audit event ${event.type}`).toBe(false);
      }
    }
    const output = app.server.output();
    for (const token of tokens) expect(output.includes(token), "server output holds a token").toBe(false);
  });
});
