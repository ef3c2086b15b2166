// "Sign in with a passkey": discoverable options, the assertion check, single-use challenges,
// the signature counter, and the end of the sign-in (session, audit, tokens) with no second factor.
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CHALLENGE_TTL_MS } from "@/lib/auth/login-challenges";
import { sha256 } from "@/lib/auth/secrets";
import { createSession } from "@/lib/auth/session-store";
import { verifyAccessToken } from "@/lib/edge/tokens";
import { AppError } from "@/lib/errors";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { createTestDeps, seedUser, type TestDeps } from "@/test/support/deps";
import { type CeremonyOverrides, SoftAuthenticator } from "@/test/support/soft-authenticator";
import { addPasskey } from "../account/add-passkey";
import { passkeyRegistrationOptions } from "../account/passkey-registration-options";
import { passkeyLogin } from "./passkey-login";
import { passkeyLoginOptions } from "./passkey-login-options";
import { reauthenticate } from "./reauthenticate";

// Every test signs in from an address of its own, so the per-address window never mixes tests.
const newMeta = () => ({ address: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`, userAgent: "vitest" });

async function caught(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

beforeAll(async () => {
  vi.stubEnv("AUTH_SIGNING_KEYS", JSON.stringify(await generateKeySet()));
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe("passkey sign-in", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  /** An account with one passkey on a software authenticator, added as the account page does. */
  async function userWithPasskey(opts: { disabled?: boolean; counter?: number } = {}) {
    const user = await seedUser(deps, { disabled: opts.disabled });
    const { sessionId } = await createSession(deps, { userId: user.id, ...newMeta() });
    const authenticator = new SoftAuthenticator();
    const { challengeId, options } = await passkeyRegistrationOptions(deps, { userId: user.id });
    const response = authenticator.create(options, { counter: opts.counter });
    const passkey = await addPasskey(deps, { userId: user.id, sessionId, challengeId, response, meta: newMeta() });
    return { user, authenticator, passkey };
  }

  async function assertion(authenticator: SoftAuthenticator, overrides: CeremonyOverrides & { credentialId?: string } = {}) {
    const { challengeId, options } = await passkeyLoginOptions(deps);
    return { challengeId, response: authenticator.get(options, overrides) };
  }

  const failures = (userId: string) =>
    deps.db.auditEvent
      .findMany({ where: { userId, type: "login_failure" }, select: { detail: true } })
      .then((rows) => rows.map((r) => JSON.parse(r.detail ?? "{}")));
  const sessions = (userId: string) => deps.db.session.count({ where: { userId } });

  describe("passkeyLoginOptions", () => {
    it("asks for any discoverable credential of this site and keeps the challenge for five minutes", async () => {
      const { challengeId, options } = await passkeyLoginOptions(deps);
      expect(options.rpId).toBe("localhost");
      expect(options.userVerification).toBe("preferred");
      expect(options.allowCredentials ?? []).toEqual([]);
      const row = await deps.db.loginChallenge.findUniqueOrThrow({ where: { id: sha256(challengeId) } });
      expect(row).toMatchObject({ kind: "passkey_login", userId: null, webauthn: options.challenge, usedAt: null });
      expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(CHALLENGE_TTL_MS);
    });
  });

  describe("passkeyLogin", () => {
    it("signs in with no username and no second factor: a session, login_success and tokens", async () => {
      const { user, authenticator, passkey } = await userWithPasskey();
      // An authenticator app too: the passkey is the whole sign-in all the same.
      await deps.db.totpFactor.create({ data: { userId: user.id, secret: "unused", confirmedAt: deps.clock.now() } });
      const before = await sessions(user.id);
      deps.clock.advance(60_000);
      const meta = newMeta();

      const result = await passkeyLogin(deps, { ...(await assertion(authenticator)), meta });

      expect(result.user).toMatchObject({ id: user.id, username: user.username });
      expect(result.factors).toEqual({ totp: true, passkeys: 1 });
      expect(await verifyAccessToken(result.accessToken)).toMatchObject({ sub: user.id, sid: result.sessionId });
      expect(await sessions(user.id)).toBe(before + 1);
      const event = await deps.db.auditEvent.findFirstOrThrow({ where: { userId: user.id, type: "login_success" } });
      expect(event).toMatchObject({ actorId: user.id, address: meta.address, subject: user.username });
      expect(JSON.parse(event.detail ?? "{}")).toEqual({ sessionId: result.sessionId, method: "passkey" });
      const row = await deps.db.passkey.findUniqueOrThrow({ where: { id: passkey.id } });
      expect(row).toMatchObject({ counter: 1, lastUsedAt: deps.clock.now() });
    });

    it("finds the ceremony by the challenge the assertion signs when no challengeId is sent", async () => {
      const { user, authenticator } = await userWithPasskey();
      const { response } = await assertion(authenticator);
      const result = await passkeyLogin(deps, { response, meta: newMeta() });
      expect(result.user.id).toBe(user.id);
    });

    it("refuses a counter that did not go up (a cloned authenticator)", async () => {
      const { user, authenticator, passkey } = await userWithPasskey();
      await passkeyLogin(deps, { ...(await assertion(authenticator, { counter: 5 })), meta: newMeta() });

      for (const counter of [5, 3, 0]) {
        const e = await caught(passkeyLogin(deps, { ...(await assertion(authenticator, { counter })), meta: newMeta() }));
        expect(e).toMatchObject({ code: "invalid_credentials", status: 401 });
      }
      expect(await failures(user.id)).toEqual([
        { method: "passkey", reason: "counter_regression" },
        { method: "passkey", reason: "counter_regression" },
        { method: "passkey", reason: "counter_regression" },
      ]);
      expect((await deps.db.passkey.findUniqueOrThrow({ where: { id: passkey.id } })).counter).toBe(5);
      await passkeyLogin(deps, { ...(await assertion(authenticator, { counter: 6 })), meta: newMeta() });
    });

    it("accepts an authenticator that always reports zero (synced passkeys have no counter)", async () => {
      const { user, authenticator } = await userWithPasskey();
      for (let i = 0; i < 2; i++) {
        const result = await passkeyLogin(deps, { ...(await assertion(authenticator, { counter: 0 })), meta: newMeta() });
        expect(result.user.id).toBe(user.id);
      }
    });

    it("refuses a challenge answered before", async () => {
      const { user, authenticator } = await userWithPasskey();
      const first = await assertion(authenticator);
      await passkeyLogin(deps, { ...first, meta: newMeta() });
      const before = await sessions(user.id);

      expect((await caught(passkeyLogin(deps, { ...first, meta: newMeta() }))).code).toBe("invalid_credentials");
      // The same challenge signed afresh (a higher counter) is no better.
      const options = {
        challenge: (await deps.db.loginChallenge.findUniqueOrThrow({ where: { id: sha256(first.challengeId) } })).webauthn ?? "",
      };
      const resigned = authenticator.get({ ...options, rpId: "localhost" });
      expect((await caught(passkeyLogin(deps, { challengeId: first.challengeId, response: resigned, meta: newMeta() }))).code).toBe(
        "invalid_credentials",
      );
      expect((await caught(passkeyLogin(deps, { response: resigned, meta: newMeta() }))).code).toBe("invalid_credentials");
      expect(await sessions(user.id)).toBe(before);
      expect(await failures(user.id)).toEqual([
        { method: "passkey", reason: "challenge" },
        { method: "passkey", reason: "challenge" },
        { method: "passkey", reason: "challenge" },
      ]);
    });

    it("refuses a challenge older than five minutes", async () => {
      const { user, authenticator } = await userWithPasskey();
      const request = await assertion(authenticator);
      deps.clock.advance(CHALLENGE_TTL_MS);
      const e = await caught(passkeyLogin(deps, { ...request, meta: newMeta() }));
      expect(e.code).toBe("invalid_credentials");
      expect(await failures(user.id)).toEqual([{ method: "passkey", reason: "challenge" }]);
    });

    it("refuses a registration challenge (ceremonies are bound to their kind)", async () => {
      const { user, authenticator } = await userWithPasskey();
      const { challengeId, options } = await passkeyRegistrationOptions(deps, { userId: user.id });
      const response = authenticator.get({ challenge: options.challenge, rpId: "localhost" });
      expect((await caught(passkeyLogin(deps, { challengeId, response, meta: newMeta() }))).code).toBe("invalid_credentials");
      expect((await caught(passkeyLogin(deps, { response, meta: newMeta() }))).code).toBe("invalid_credentials");
    });

    it.each<[string, CeremonyOverrides]>([
      ["another origin", { origin: "https://evil.example" }],
      ["another relying party", { rpId: "evil.example" }],
      ["no user verification", { userVerified: false }],
      ["a registration answer", { type: "webauthn.create" }],
    ])("refuses an assertion made for %s", async (_, overrides) => {
      const { user, authenticator } = await userWithPasskey();
      const before = await sessions(user.id);
      const e = await caught(passkeyLogin(deps, { ...(await assertion(authenticator, overrides)), meta: newMeta() }));
      expect(e).toMatchObject({ code: "invalid_credentials", status: 401 });
      expect(await sessions(user.id)).toBe(before);
      expect(await failures(user.id)).toEqual([{ method: "passkey", reason: "bad_signature" }]);
    });

    it("refuses a bad signature and a credential it does not know", async () => {
      const { user, authenticator } = await userWithPasskey();
      const request = await assertion(authenticator);
      const signature = Buffer.from(request.response.response.signature, "base64url");
      signature[signature.length - 1] = (signature.at(-1) ?? 0) ^ 1;
      const forged = { ...request.response, response: { ...request.response.response, signature: signature.toString("base64url") } };
      expect((await caught(passkeyLogin(deps, { challengeId: request.challengeId, response: forged, meta: newMeta() }))).code).toBe(
        "invalid_credentials",
      );
      expect(await failures(user.id)).toEqual([{ method: "passkey", reason: "bad_signature" }]);

      const stranger = new SoftAuthenticator();
      stranger.create((await passkeyRegistrationOptions(deps, { userId: user.id })).options);
      const unknown = await assertion(stranger);
      const meta = newMeta();
      expect((await caught(passkeyLogin(deps, { ...unknown, meta }))).code).toBe("invalid_credentials");
      const event = await deps.db.auditEvent.findFirstOrThrow({ where: { type: "login_failure", address: meta.address } });
      expect(event).toMatchObject({ userId: null, subject: null });
      expect(JSON.parse(event.detail ?? "{}")).toEqual({ method: "passkey", reason: "unknown_credential" });
    });

    it("refuses an assertion whose user handle names another account", async () => {
      const { user, authenticator } = await userWithPasskey();
      const request = await assertion(authenticator);
      const response = {
        ...request.response,
        response: { ...request.response.response, userHandle: Buffer.from("someone-else").toString("base64url") },
      };
      expect((await caught(passkeyLogin(deps, { challengeId: request.challengeId, response, meta: newMeta() }))).code).toBe(
        "invalid_credentials",
      );
      expect(await failures(user.id)).toEqual([{ method: "passkey", reason: "user_mismatch" }]);
    });

    it("refuses a disabled account after a good assertion, with no session", async () => {
      const { user, authenticator } = await userWithPasskey();
      await deps.db.user.update({ where: { id: user.id }, data: { disabled: true } });
      const before = await sessions(user.id);
      const e = await caught(passkeyLogin(deps, { ...(await assertion(authenticator)), meta: newMeta() }));
      expect(e).toMatchObject({ code: "account_disabled", status: 403 });
      expect(await sessions(user.id)).toBe(before);
      expect(await deps.db.auditEvent.count({ where: { userId: user.id, type: "login_disabled" } })).toBe(1);
    });

    it("counts refusals toward the address limit and answers 429 past it", async () => {
      const { authenticator } = await userWithPasskey();
      const meta = newMeta();
      const limit = 30;
      let throttled: AppError | undefined;
      for (let i = 0; i <= limit && !throttled; i++) {
        const e = await caught(passkeyLogin(deps, { ...(await assertion(authenticator, { origin: "https://evil.example" })), meta }));
        if (e.code === "too_many_attempts") throttled = e;
      }
      expect(throttled?.status).toBe(429);
    });
  });
});

describe("step-up with a passkey", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("makes the session fresh with the account's own passkey, and refuses another account's", async () => {
    const register = async () => {
      const user = await seedUser(deps);
      const { sessionId } = await createSession(deps, { userId: user.id, ...newMeta() });
      const authenticator = new SoftAuthenticator();
      const { challengeId, options } = await passkeyRegistrationOptions(deps, { userId: user.id });
      await addPasskey(deps, { userId: user.id, sessionId, challengeId, response: authenticator.create(options), meta: newMeta() });
      return { user, sessionId, authenticator };
    };
    const alice = await register();
    const bob = await register();
    deps.clock.advance(deps.config.REAUTH_TTL + 1_000);
    const stale = await deps.db.session.findUniqueOrThrow({ where: { id: alice.sessionId }, select: { authenticatedAt: true } });

    const foreign = await passkeyLoginOptions(deps);
    const refused = reauthenticate(deps, {
      userId: alice.user.id,
      sessionId: alice.sessionId,
      meta: newMeta(),
      passkey: { challengeId: foreign.challengeId, response: bob.authenticator.get(foreign.options) },
    });
    await expect(refused).rejects.toMatchObject({ code: "invalid_credentials" });
    expect(await deps.db.session.findUniqueOrThrow({ where: { id: alice.sessionId }, select: { authenticatedAt: true } })).toEqual(stale);

    const own = await passkeyLoginOptions(deps);
    await reauthenticate(deps, {
      userId: alice.user.id,
      sessionId: alice.sessionId,
      meta: newMeta(),
      passkey: { challengeId: own.challengeId, response: alice.authenticator.get(own.options) },
    });
    const fresh = await deps.db.session.findUniqueOrThrow({ where: { id: alice.sessionId }, select: { authenticatedAt: true } });
    expect(fresh.authenticatedAt).toEqual(deps.clock.now());
  });
});
