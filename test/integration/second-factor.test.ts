// The second factor through HTTP (SPEC "Second factor, passkeys and step-up"): enrolment, the
// second sign-in step with codes computed from the secret, replay and challenge rules, recovery
// codes, step-up, and no tokens or cookies before the second step passes.
import { readFileSync } from "node:fs";
import { generateSync } from "otplib";
import { describe, expect, it } from "vitest";
import { type App, HTTP_LAYER_PROVIDERS, useApp } from "../support/app";
import type { Client } from "../support/client";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const codeNow = (secret: string, offsetSteps = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

async function signIn(app: App, user: { username: string; password: string }): Promise<{ browser: Client; token: string }> {
  const browser = app.browser();
  const res = await browser.post("/api/auth/login", { username: user.username, password: user.password });
  expect(res.status, res.text).toBe(200);
  return { browser, token: res.body.access_token };
}

async function enrol(app: App, bearer: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await app.script().post("/api/account/totp", {}, { bearer });
  expect(started.status, started.text).toBe(200);
  expect(started.body.otpauth_uri).toMatch(/^otpauth:\/\/totp\/Latchkey:/);
  const secret = started.body.secret as string;
  const confirmed = await app.script().post("/api/account/totp/confirm", { code: codeNow(secret) }, { bearer });
  expect(confirmed.status, confirmed.text).toBe(200);
  return { secret, recoveryCodes: confirmed.body.recovery_codes };
}

describe.each(HTTP_LAYER_PROVIDERS)("second factor on %s", (provider) => {
  const app = useApp(provider, { env: { REAUTH_TTL: "3s" } });

  it("enrols, then signs in only after the second step; no cookie or token before it", async () => {
    const user = await app.newUser();
    const { token } = await signIn(app, user);
    const { secret, recoveryCodes } = await enrol(app, token);
    expect(recoveryCodes).toHaveLength(10);
    expect((await app.script().get("/api/me", { bearer: token })).body.user.secondFactors).toEqual({ totp: true, passkeys: 0 });

    const browser = app.browser();
    const first = await browser.post("/api/auth/login", { username: user.username, password: user.password });
    expect(first.status).toBe(401);
    expect(first.body).toMatchObject({ code: "second_factor_required", methods: ["totp", "recovery_code"] });
    expect(first.body.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.body.access_token).toBeUndefined();
    expect(first.headers.get("set-cookie")).toBeNull();

    // Enrolment spent the current step's code; the next step's is within the allowed drift.
    const code = codeNow(secret, 1);
    const second = await browser.post("/api/auth/login/second-factor", { challenge: first.body.challenge, code });
    expect(second.status, second.text).toBe(200);
    expect(second.body).toMatchObject({
      token_type: "Bearer",
      user: { username: user.username, secondFactors: { totp: true, passkeys: 0 } },
    });
    expect(second.headers.get("set-cookie")).toMatch(/latchkey_at=/);
    expect((await browser.get("/api/me")).status).toBe(200);

    // The same code again, on a new challenge: refused (each code works once).
    const again = await app.script().post("/api/auth/login", { username: user.username, password: user.password });
    const replay = await app.script().post("/api/auth/login/second-factor", { challenge: again.body.challenge, code });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe("invalid_code");
  });

  it("kills a challenge after five wrong codes; a recovery code works once, even raced", async () => {
    const user = await app.newUser();
    const { token } = await signIn(app, user);
    const { recoveryCodes } = await enrol(app, token);
    const script = app.script();
    const { challenge } = (await script.post("/api/auth/login", { username: user.username, password: user.password })).body;
    for (let i = 0; i < 5; i++)
      expect((await script.post("/api/auth/login/second-factor", { challenge, code: "000000" })).status).toBe(401);
    const dead = await script.post("/api/auth/login/second-factor", { challenge, recovery_code: recoveryCodes[0] });
    expect(dead.status).toBe(401);

    const challenges = await Promise.all(
      [0, 1].map(
        async () => (await app.script().post("/api/auth/login", { username: user.username, password: user.password })).body.challenge,
      ),
    );
    const raced = await Promise.all(
      challenges.map((c) =>
        app.script().post("/api/auth/login/second-factor", { challenge: c, recovery_code: recoveryCodes[1], token_delivery: "body" }),
      ),
    );
    expect(raced.map((r) => r.status).sort()).toEqual([200, 401]);
    expect(raced.find((r) => r.status === 200)?.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("asks for a fresh sign-in (password and code) before the factor can be removed", async () => {
    const user = await app.newUser();
    const { token } = await signIn(app, user);
    const { secret } = await enrol(app, token);
    await sleep(3_500);
    const stale = await app.script().delete("/api/account/totp", { bearer: token });
    expect(stale.status).toBe(403);
    expect(stale.body.code).toBe("reauthentication_required");
    const noCode = await app.script().post("/api/auth/reauthenticate", { password: user.password }, { bearer: token });
    expect(noCode.status).toBe(401);
    expect(noCode.body.code).toBe("invalid_code");
    // Enrolment spent the current step's code; the next step's is within the allowed drift.
    const code = codeNow(secret, 1);
    const fresh = await app.script().post("/api/auth/reauthenticate", { password: user.password, code }, { bearer: token });
    expect(fresh.status, fresh.text).toBe(204);
    expect((await app.script().delete("/api/account/totp", { bearer: token })).status).toBe(204);
    expect((await app.script().post("/api/auth/login", { username: user.username, password: user.password })).status).toBe(200);
  });
});

// The database file is read directly, so this runs where there is one: SQLite.
describe("second factor at rest", () => {
  const app = useApp("sqlite");

  it("never writes the TOTP secret or a recovery code to the database file in plain text", async () => {
    const user = await app.newUser();
    const { token } = await signIn(app, user);
    const { secret, recoveryCodes } = await enrol(app, token);
    const file = app.db.url.slice("file:".length);
    const bytes = Buffer.concat([
      readFileSync(file),
      ...["-wal"].map((suffix) => {
        try {
          return readFileSync(`${file}${suffix}`);
        } catch {
          return Buffer.alloc(0);
        }
      }),
    ]);
    for (const needle of [secret, ...recoveryCodes]) expect(bytes.includes(needle)).toBe(false);
  });
});
