// Adding, listing, renaming and removing passkeys, with a software authenticator
// (test/support/soft-authenticator.ts) answering the server's real options.
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markAuthenticated } from "@/lib/auth/freshness";
import { CHALLENGE_TTL_MS } from "@/lib/auth/login-challenges";
import { sha256 } from "@/lib/auth/secrets";
import { createSession } from "@/lib/auth/session-store";
import { AppError } from "@/lib/errors";
import { createTestDeps, seedUser, type TestDeps } from "@/test/support/deps";
import { SoftAuthenticator } from "@/test/support/soft-authenticator";
import { addPasskey } from "./add-passkey";
import { listPasskeys } from "./list-passkeys";
import { passkeyRegistrationOptions } from "./passkey-registration-options";
import { removePasskey } from "./remove-passkey";
import { renamePasskey } from "./rename-passkey";

const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const newMeta = (userAgent: string | null = FIREFOX_LINUX) => ({
  address: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`,
  userAgent,
});

async function caught(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

describe("account passkeys", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps({ env: { REAUTH_TTL: "5m" } });
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  async function signedIn() {
    const user = await seedUser(deps);
    const { sessionId } = await createSession(deps, { userId: user.id, ...newMeta() });
    return { ...user, sessionId };
  }

  /** Options, the authenticator's answer, and the POST: what the account page does. */
  async function register(
    user: { id: string; sessionId: string },
    authenticator = new SoftAuthenticator(),
    opts: { name?: string; meta?: ReturnType<typeof newMeta> } = {},
  ) {
    const { challengeId, options } = await passkeyRegistrationOptions(deps, { userId: user.id });
    const response = authenticator.create(options);
    const passkey = await addPasskey(deps, {
      userId: user.id,
      sessionId: user.sessionId,
      challengeId,
      response,
      meta: opts.meta ?? newMeta(),
      ...opts,
    });
    return { passkey, authenticator, response };
  }

  const auditOf = (userId: string, type?: string) =>
    deps.db.auditEvent.findMany({ where: { userId, ...(type ? { type } : {}) }, select: { type: true, actorId: true, detail: true } });

  describe("passkeyRegistrationOptions", () => {
    it("asks for a discoverable credential for this site and account, and keeps the challenge for five minutes", async () => {
      const user = await signedIn();
      const { challengeId, options } = await passkeyRegistrationOptions(deps, { userId: user.id });

      expect(options.rp).toEqual({ name: "Latchkey", id: "localhost" });
      expect(options.user).toMatchObject({ name: user.username, id: Buffer.from(user.id).toString("base64url") });
      expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "preferred" });
      expect(options.attestation).toBe("none");
      expect(options.excludeCredentials).toEqual([]);
      expect(challengeId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const row = await deps.db.loginChallenge.findUniqueOrThrow({ where: { id: sha256(challengeId) } });
      expect(row).toMatchObject({ kind: "passkey_registration", userId: user.id, webauthn: options.challenge, usedAt: null });
      expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(CHALLENGE_TTL_MS);
    });

    it("excludes the passkeys the account already has", async () => {
      const user = await signedIn();
      const { passkey } = await register(user);
      const { options } = await passkeyRegistrationOptions(deps, { userId: user.id });
      expect(options.excludeCredentials).toEqual([{ id: passkey.id, type: "public-key", transports: ["internal", "hybrid"] }]);
    });
  });

  describe("addPasskey", () => {
    it("verifies the authenticator's answer, stores the credential and records passkey_added", async () => {
      const user = await signedIn();
      const { passkey, authenticator } = await register(user);

      const [credential] = [...authenticator.credentials.values()];
      expect(passkey).toEqual({
        id: credential?.id,
        name: "Passkey on Linux",
        createdAt: deps.clock.now().toISOString(),
        lastUsedAt: null,
      });
      const row = await deps.db.passkey.findUniqueOrThrow({ where: { id: passkey.id } });
      expect(row).toMatchObject({ userId: user.id, counter: 0, transports: "internal,hybrid" });
      expect(row.publicKey).toMatch(/^[A-Za-z0-9_-]{60,}$/);
      const events = await auditOf(user.id);
      expect(events).toEqual([{ type: "passkey_added", actorId: user.id, detail: expect.stringContaining(`"passkeyId":"${passkey.id}"`) }]);
    });

    it("names passkeys after the device unless given a name, never twice the same", async () => {
      const user = await signedIn();
      const names: string[] = [];
      for (const opts of [{}, {}, { meta: newMeta(null) }, { meta: newMeta(null) }, { name: "  Work laptop " }]) {
        deps.clock.advance(1000);
        names.push((await register(user, undefined, opts)).passkey.name);
      }
      expect(names).toEqual(["Passkey on Linux", "Passkey on Linux 2", "Passkey", "Passkey 2", "Work laptop"]);
      expect((await listPasskeys(deps, { userId: user.id })).map((p) => p.name)).toEqual([
        "Passkey on Linux",
        "Passkey on Linux 2",
        "Passkey",
        "Passkey 2",
        "Work laptop",
      ]);
    });

    it("finds the ceremony by the challenge the answer signs when no challengeId is sent", async () => {
      const user = await signedIn();
      const { options } = await passkeyRegistrationOptions(deps, { userId: user.id });
      const response = new SoftAuthenticator().create(options);
      const passkey = await addPasskey(deps, { userId: user.id, sessionId: user.sessionId, response, meta: newMeta() });
      expect(passkey.id).toBe(response.id);
    });

    it("needs a fresh authentication, and the same answer works once the person has confirmed it's them", async () => {
      const user = await signedIn();
      deps.clock.advance(4 * 60_000);
      const { challengeId, options } = await passkeyRegistrationOptions(deps, { userId: user.id });
      const response = new SoftAuthenticator().create(options);
      deps.clock.advance(2 * 60_000);
      const input = { userId: user.id, sessionId: user.sessionId, challengeId, response, meta: newMeta() };

      expect((await caught(addPasskey(deps, input))).code).toBe("reauthentication_required");
      expect(await deps.db.passkey.count({ where: { userId: user.id } })).toBe(0);
      await markAuthenticated(deps, user.sessionId);
      expect((await addPasskey(deps, input)).id).toBe(response.id);
    });

    it("refuses a challenge used before, even with a new answer", async () => {
      const user = await signedIn();
      const { challengeId, options } = await passkeyRegistrationOptions(deps, { userId: user.id });
      const authenticator = new SoftAuthenticator();
      const first = authenticator.create(options);
      await addPasskey(deps, { userId: user.id, sessionId: user.sessionId, challengeId, response: first, meta: newMeta() });

      const again = await caught(
        addPasskey(deps, { userId: user.id, sessionId: user.sessionId, challengeId, response: first, meta: newMeta() }),
      );
      expect(again).toMatchObject({ code: "bad_request", status: 400 });
      const second = authenticator.create(options);
      const other = await caught(addPasskey(deps, { userId: user.id, sessionId: user.sessionId, response: second, meta: newMeta() }));
      expect(other.code).toBe("bad_request");
      expect(await deps.db.passkey.count({ where: { userId: user.id } })).toBe(1);
    });

    it("refuses a challenge older than five minutes", async () => {
      const user = await signedIn();
      const { challengeId, options } = await passkeyRegistrationOptions(deps, { userId: user.id });
      const response = new SoftAuthenticator().create(options);
      deps.clock.advance(CHALLENGE_TTL_MS);
      await markAuthenticated(deps, user.sessionId);

      const e = await caught(addPasskey(deps, { userId: user.id, sessionId: user.sessionId, challengeId, response, meta: newMeta() }));
      expect(e.message).toMatch(/expired/);
      expect(await deps.db.passkey.count({ where: { userId: user.id } })).toBe(0);
    });

    it.each([
      ["another origin", { origin: "https://evil.example" }],
      ["another relying party", { rpId: "evil.example" }],
      ["no user verification", { userVerified: false }],
      ["a sign-in answer", { type: "webauthn.get" }],
    ])("refuses an answer made for %s", async (_, overrides) => {
      const user = await signedIn();
      const { challengeId, options } = await passkeyRegistrationOptions(deps, { userId: user.id });
      const response = new SoftAuthenticator().create(options, overrides);

      const e = await caught(addPasskey(deps, { userId: user.id, sessionId: user.sessionId, challengeId, response, meta: newMeta() }));
      expect(e).toMatchObject({ code: "bad_request", message: expect.stringMatching(/could not be verified/) });
      expect(await deps.db.passkey.count({ where: { userId: user.id } })).toBe(0);
      expect(await auditOf(user.id)).toEqual([]);
    });

    it("refuses another account's ceremony", async () => {
      const user = await signedIn();
      const other = await signedIn();
      const { challengeId, options } = await passkeyRegistrationOptions(deps, { userId: other.id });
      const response = new SoftAuthenticator().create(options);

      const e = await caught(addPasskey(deps, { userId: user.id, sessionId: user.sessionId, challengeId, response, meta: newMeta() }));
      expect(e.code).toBe("bad_request");
      expect(await deps.db.passkey.count({ where: { userId: { in: [user.id, other.id] } } })).toBe(0);
    });

    it("refuses a credential registered already", async () => {
      const user = await signedIn();
      const { authenticator, response } = await register(user);
      const { challengeId, options } = await passkeyRegistrationOptions(deps, { userId: user.id });
      // The same credential id in a new ceremony (an authenticator that ignored excludeCredentials).
      const replay = authenticator.create(options, { credentialId: response.id });
      const e = await caught(
        addPasskey(deps, { userId: user.id, sessionId: user.sessionId, challengeId, response: replay, meta: newMeta() }),
      );
      expect(e).toMatchObject({ code: "conflict", status: 409 });
      expect(await deps.db.passkey.count({ where: { userId: user.id } })).toBe(1);
    });
  });

  describe("listPasskeys", () => {
    it("lists only the caller's passkeys, oldest first", async () => {
      const user = await signedIn();
      const other = await signedIn();
      const first = (await register(user, undefined, { name: "Phone" })).passkey;
      deps.clock.advance(1000);
      const second = (await register(user, undefined, { name: "Laptop" })).passkey;
      await register(other);

      expect(await listPasskeys(deps, { userId: user.id })).toEqual([first, second]);
    });
  });

  describe("renamePasskey", () => {
    it("renames the caller's passkey and records passkey_renamed", async () => {
      const user = await signedIn();
      const { passkey } = await register(user, undefined, { name: "Phone" });
      const renamed = await renamePasskey(deps, {
        userId: user.id,
        sessionId: user.sessionId,
        passkeyId: passkey.id,
        name: " Old phone ",
        meta: newMeta(),
      });

      expect(renamed).toEqual({ ...passkey, name: "Old phone" });
      const events = await auditOf(user.id, "passkey_renamed");
      expect(events).toEqual([{ type: "passkey_renamed", actorId: user.id, detail: expect.any(String) }]);
      expect(JSON.parse(events[0]?.detail ?? "{}")).toEqual({ passkeyId: passkey.id, from: "Phone", name: "Old phone" });
    });

    it("answers another account's passkey like a missing one, and changes nothing", async () => {
      const user = await signedIn();
      const victim = await signedIn();
      const { passkey } = await register(victim, undefined, { name: "Victim's key" });

      const e = await caught(
        renamePasskey(deps, { userId: user.id, sessionId: user.sessionId, passkeyId: passkey.id, name: "Mine", meta: newMeta() }),
      );
      expect(e).toMatchObject({ code: "not_found", status: 404 });
      const missing = await caught(
        renamePasskey(deps, { userId: user.id, sessionId: user.sessionId, passkeyId: "nope", name: "x", meta: newMeta() }),
      );
      expect(missing.code).toBe("not_found");
      expect((await listPasskeys(deps, { userId: victim.id }))[0]?.name).toBe("Victim's key");
      expect((await auditOf(user.id)).map((e) => e.type)).toEqual([]);
    });

    it("needs a fresh authentication", async () => {
      const user = await signedIn();
      const { passkey } = await register(user, undefined, { name: "Phone" });
      deps.clock.advance(5 * 60_000 + 1);
      const e = await caught(
        renamePasskey(deps, { userId: user.id, sessionId: user.sessionId, passkeyId: passkey.id, name: "x", meta: newMeta() }),
      );
      expect(e.code).toBe("reauthentication_required");
    });
  });

  describe("removePasskey", () => {
    it("removes the caller's passkey and records passkey_removed", async () => {
      const user = await signedIn();
      const { passkey } = await register(user, undefined, { name: "Phone" });
      await removePasskey(deps, { userId: user.id, sessionId: user.sessionId, passkeyId: passkey.id, meta: newMeta() });

      expect(await listPasskeys(deps, { userId: user.id })).toEqual([]);
      const events = await auditOf(user.id, "passkey_removed");
      expect(events).toEqual([{ type: "passkey_removed", actorId: user.id, detail: expect.any(String) }]);
      expect(JSON.parse(events[0]?.detail ?? "{}")).toEqual({ passkeyId: passkey.id, name: "Phone" });
      const again = await caught(
        removePasskey(deps, { userId: user.id, sessionId: user.sessionId, passkeyId: passkey.id, meta: newMeta() }),
      );
      expect(again.code).toBe("not_found");
    });

    it("answers another account's passkey like a missing one, and keeps it", async () => {
      const user = await signedIn();
      const victim = await signedIn();
      const { passkey } = await register(victim);

      const e = await caught(removePasskey(deps, { userId: user.id, sessionId: user.sessionId, passkeyId: passkey.id, meta: newMeta() }));
      expect(e).toMatchObject({ code: "not_found", status: 404 });
      expect(await deps.db.passkey.count({ where: { id: passkey.id } })).toBe(1);
    });

    it("needs a fresh authentication", async () => {
      const user = await signedIn();
      const { passkey } = await register(user);
      deps.clock.advance(5 * 60_000 + 1);
      const e = await caught(removePasskey(deps, { userId: user.id, sessionId: user.sessionId, passkeyId: passkey.id, meta: newMeta() }));
      expect(e.code).toBe("reauthentication_required");
      expect(await deps.db.passkey.count({ where: { id: passkey.id } })).toBe(1);
    });
  });
});
