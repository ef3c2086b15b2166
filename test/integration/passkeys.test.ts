// Passkeys through HTTP (SPEC "Passkeys"), with a software authenticator answering the server's
// real options on http://localhost:PORT: adding, listing, renaming and removing (fresh
// authentication, another account's passkey is a 404), and signing in exactly as login does.
import { describe, expect, it } from "vitest";
import { SoftAuthenticator } from "@/test/support/soft-authenticator";
import type { App } from "../support/app";
import { HTTP_LAYER_PROVIDERS, useApp } from "../support/app";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function signIn(app: App, user: { username: string; password: string }): Promise<string> {
  const res = await app.script().post("/api/auth/login", { username: user.username, password: user.password });
  expect(res.status, res.text).toBe(200);
  return res.body.access_token;
}

/** "Confirm it's you": the session is fresh for REAUTH_TTL again (a slow machine may have let it lapse). */
async function stepUp(app: App, bearer: string, password: string): Promise<void> {
  expect((await app.script().post("/api/auth/reauthenticate", { password }, { bearer })).status).toBe(204);
}

/** Options, the authenticator's answer and the POST, after a step-up; returns the reply to the POST. */
async function addPasskey(
  app: App,
  bearer: string,
  password: string,
  authenticator: SoftAuthenticator,
  extra: Record<string, unknown> = {},
) {
  await stepUp(app, bearer, password);
  const options = await app.script().post("/api/account/passkeys/options", undefined, { bearer });
  expect(options.status, options.text).toBe(200);
  const response = authenticator.create(options.body.options);
  return app.script().post("/api/account/passkeys", { challengeId: options.body.challengeId, response, ...extra }, { bearer });
}

describe.each(HTTP_LAYER_PROVIDERS)("passkeys on %s", (provider) => {
  const app = useApp(provider, { env: { REAUTH_TTL: "4s" } });

  it("adds, lists, renames and removes a passkey; another account's passkey answers 404", async () => {
    const user = await app.newUser();
    const token = await signIn(app, user);
    const authenticator = new SoftAuthenticator(app.url);

    const options = await app.script().post("/api/account/passkeys/options", undefined, { bearer: token });
    expect(options.body.options).toMatchObject({
      rp: { name: "Latchkey", id: "localhost" },
      user: { name: user.username },
      attestation: "none",
      authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    });
    const added = await addPasskey(app, token, user.password, authenticator, { name: "My laptop" });
    expect(added.status, added.text).toBe(201);
    const { passkey } = added.body;
    expect(passkey).toEqual({ id: expect.any(String), name: "My laptop", createdAt: expect.any(String), lastUsedAt: null });
    expect((await app.script().get("/api/account/passkeys", { bearer: token })).body).toEqual({ passkeys: [passkey] });
    expect((await app.script().get("/api/me", { bearer: token })).body.user.secondFactors).toEqual({ totp: false, passkeys: 1 });

    const stranger = await signIn(app, await app.newUser());
    const path = `/api/account/passkeys/${passkey.id}`;
    expect((await app.script().patch(path, { name: "Mine now" }, { bearer: stranger })).status).toBe(404);
    expect((await app.script().delete(path, { bearer: stranger })).status).toBe(404);
    expect((await app.script().get("/api/account/passkeys", { bearer: stranger })).body).toEqual({ passkeys: [] });

    await stepUp(app, token, user.password);
    const renamed = await app.script().patch(path, { name: "Work laptop" }, { bearer: token });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.passkey).toEqual({ ...passkey, name: "Work laptop" });
    expect((await app.script().patch(path, { name: "  " }, { bearer: token })).status).toBe(422);
    expect((await app.script().delete(path, { bearer: token })).status).toBe(204);
    expect((await app.script().get("/api/account/passkeys", { bearer: token })).body).toEqual({ passkeys: [] });
  });

  it("refuses the unauthenticated, malformed bodies, and a challenge used twice", async () => {
    expect((await app.script().post("/api/account/passkeys/options")).status).toBe(401);
    expect((await app.script().get("/api/account/passkeys")).status).toBe(401);
    const user = await app.newUser();
    const token = await signIn(app, user);
    const script = app.script();
    await stepUp(app, token, user.password);
    expect((await script.post("/api/account/passkeys", { response: {} }, { bearer: token })).status).toBe(422);
    const options = await script.post("/api/account/passkeys/options", undefined, { bearer: token });
    const response = new SoftAuthenticator(app.url).create(options.body.options);
    const body = { challengeId: options.body.challengeId, response };
    expect((await script.post("/api/account/passkeys", { ...body, role: "admin" }, { bearer: token })).status).toBe(422);
    expect((await script.post("/api/account/passkeys", body, { bearer: token })).status).toBe(201);
    const again = await script.post("/api/account/passkeys", body, { bearer: token });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe("bad_request");
  });

  it("needs a fresh authentication to add, rename and remove, and the same answer works after step-up", async () => {
    const user = await app.newUser();
    const token = await signIn(app, user);
    const authenticator = new SoftAuthenticator(app.url);
    const first = await addPasskey(app, token, user.password, authenticator);
    expect(first.status).toBe(201);
    const options = await app.script().post("/api/account/passkeys/options", undefined, { bearer: token });
    const body = { challengeId: options.body.challengeId, response: authenticator.create(options.body.options) };
    await sleep(4500);

    const stale = await app.script().post("/api/account/passkeys", body, { bearer: token });
    expect(stale.status).toBe(403);
    expect(stale.body.code).toBe("reauthentication_required");
    const path = `/api/account/passkeys/${first.body.passkey.id}`;
    expect((await app.script().patch(path, { name: "x" }, { bearer: token })).body.code).toBe("reauthentication_required");
    expect((await app.script().delete(path, { bearer: token })).body.code).toBe("reauthentication_required");

    expect((await app.script().post("/api/auth/reauthenticate", { password: user.password }, { bearer: token })).status).toBe(204);
    expect((await app.script().post("/api/account/passkeys", body, { bearer: token })).status).toBe(201);
  });

  it("signs in with a passkey exactly as login: cookies for a browser, the refresh token in the body for a script", async () => {
    const user = await app.newUser();
    const authenticator = new SoftAuthenticator(app.url);
    expect((await addPasskey(app, await signIn(app, user), user.password, authenticator)).status).toBe(201);

    const browser = app.browser();
    const options = await browser.post("/api/auth/passkey/options");
    expect(options.status, options.text).toBe(200);
    expect(options.body.options).toMatchObject({ rpId: "localhost", userVerification: "preferred" });
    expect(options.body.options.allowCredentials ?? []).toEqual([]);
    const response = authenticator.get(options.body.options);
    const signedIn = await browser.post("/api/auth/passkey", { challengeId: options.body.challengeId, response });
    expect(signedIn.status, signedIn.text).toBe(200);
    expect(signedIn.body).toMatchObject({ token_type: "Bearer", user: { username: user.username, secondFactors: { passkeys: 1 } } });
    expect(signedIn.body.refresh_token).toBeUndefined();
    expect(signedIn.headers.get("set-cookie")).toMatch(/latchkey_at=/);
    expect((await browser.get("/api/me")).status).toBe(200);

    // The same answer again: the challenge was spent.
    const replay = await app.script().post("/api/auth/passkey", { challengeId: options.body.challengeId, response });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe("invalid_credentials");

    // A script, without challengeId (the SPEC makes it optional), with token_delivery body.
    const script = app.script();
    const scriptOptions = await script.post("/api/auth/passkey/options");
    const scriptSignIn = await script.post("/api/auth/passkey", {
      response: authenticator.get(scriptOptions.body.options),
      token_delivery: "body",
    });
    expect(scriptSignIn.status, scriptSignIn.text).toBe(200);
    expect(scriptSignIn.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(scriptSignIn.headers.get("set-cookie")).toBeNull();
    expect((await script.get("/api/me", { bearer: scriptSignIn.body.access_token })).status).toBe(200);
  });

  it("refuses an unknown credential with 401 and a cross-site sign-in with 403", async () => {
    const options = await app.script().post("/api/auth/passkey/options");
    const stranger = new SoftAuthenticator(app.url);
    stranger.create({
      ...options.body.options,
      rp: { name: "Latchkey", id: "localhost" },
      user: { id: "eA", name: "x", displayName: "x" },
      pubKeyCredParams: [],
    });
    const unknown = await app
      .script()
      .post("/api/auth/passkey", { challengeId: options.body.challengeId, response: stranger.get(options.body.options) });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe("invalid_credentials");

    const evil = app.browser();
    const crossSite = await evil.request("POST", "/api/auth/passkey/options", { headers: { origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.code).toBe("cross_site_request");
  });
});
