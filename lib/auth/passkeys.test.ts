import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passkeyRegistrationOptions } from "@/lib/use-cases/account/passkey-registration-options";
import { passkeyLoginOptions } from "@/lib/use-cases/auth/passkey-login-options";
import { createTestDeps, seedUser, type TestDeps } from "@/test/support/deps";
import { SoftAuthenticator } from "@/test/support/soft-authenticator";
import { createChallenge } from "./login-challenges";
import {
  answeredChallenge,
  checkAssertion,
  defaultPasskeyName,
  findCeremony,
  isCredentialId,
  relyingParty,
  storedTransports,
  transportsOf,
} from "./passkeys";

const SAFARI_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
const CHROME_ANDROID =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

describe("relyingParty", () => {
  it("is APP_URL's host and origin, without port or path in the id", () => {
    expect(relyingParty({ APP_URL: "http://localhost:3000" })).toEqual({
      name: "Latchkey",
      id: "localhost",
      origin: "http://localhost:3000",
    });
    expect(relyingParty({ APP_URL: "https://auth.example.com/base/" })).toEqual({
      name: "Latchkey",
      id: "auth.example.com",
      origin: "https://auth.example.com",
    });
  });
});

describe("defaultPasskeyName", () => {
  it("names the operating system, and numbers repeats whatever their case", () => {
    expect(defaultPasskeyName(SAFARI_MAC, [])).toBe("Passkey on macOS");
    expect(defaultPasskeyName(CHROME_ANDROID, ["passkey on android"])).toBe("Passkey on Android 2");
    expect(defaultPasskeyName(CHROME_ANDROID, ["Passkey on Android", "Passkey on Android 2"])).toBe("Passkey on Android 3");
    expect(defaultPasskeyName("curl/8.5.0", [])).toBe("Passkey");
    expect(defaultPasskeyName(null, ["Passkey"])).toBe("Passkey 2");
  });
});

describe("transports", () => {
  it("keeps the known transports once each, and reads them back", () => {
    expect(storedTransports(["internal", "hybrid", "internal", "carrier-pigeon"])).toBe("internal,hybrid");
    expect(storedTransports(undefined)).toBeNull();
    expect(storedTransports(["bogus"])).toBeNull();
    expect(transportsOf("usb,nfc")).toEqual(["usb", "nfc"]);
    expect(transportsOf(null)).toBeUndefined();
  });
});

describe("answeredChallenge and isCredentialId", () => {
  it("reads the challenge from clientDataJSON, and nothing from junk", () => {
    const data = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    expect(answeredChallenge(data({ type: "webauthn.get", challenge: "abc_-1" }))).toBe("abc_-1");
    expect(answeredChallenge(data({ challenge: "not base64url!" }))).toBeNull();
    expect(answeredChallenge(data({ challenge: 42 }))).toBeNull();
    expect(answeredChallenge(data(null))).toBeNull();
    expect(answeredChallenge("%%%")).toBeNull();
  });

  it("accepts base64url ids up to 1023 bytes", () => {
    expect(isCredentialId("AbC-_9")).toBe(true);
    expect(isCredentialId("a".repeat(1364))).toBe(true);
    expect(isCredentialId("a".repeat(1365))).toBe(false);
    expect(isCredentialId("")).toBe(false);
    expect(isCredentialId("a/b")).toBe(false);
  });
});

describe("with a database", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
  });

  it("findCeremony finds a live ceremony by id or by its WebAuthn challenge, of its own kind only", async () => {
    const token = await createChallenge(deps, { kind: "passkey_login", userId: null, webauthn: "Y2hhbGxlbmdl" });
    const clientDataJSON = Buffer.from(JSON.stringify({ challenge: "Y2hhbGxlbmdl" })).toString("base64url");
    expect(await findCeremony(deps, "passkey_login", { challengeId: token, clientDataJSON })).toMatchObject({ webauthn: "Y2hhbGxlbmdl" });
    expect(await findCeremony(deps, "passkey_login", { clientDataJSON })).toMatchObject({ webauthn: "Y2hhbGxlbmdl" });
    expect(await findCeremony(deps, "passkey_registration", { challengeId: token, clientDataJSON })).toBeNull();
    expect(await findCeremony(deps, "passkey_registration", { clientDataJSON })).toBeNull();
    deps.clock.advance(5 * 60_000);
    expect(await findCeremony(deps, "passkey_login", { challengeId: token, clientDataJSON })).toBeNull();
    expect(await findCeremony(deps, "passkey_login", { clientDataJSON })).toBeNull();
  });

  it("checkAssertion lets only one of two racing uses of one counter value through", async () => {
    const user = await seedUser(deps);
    const authenticator = new SoftAuthenticator();
    const { options } = await passkeyRegistrationOptions(deps, { userId: user.id });
    const created = authenticator.create(options);
    await deps.db.passkey.create({
      data: {
        id: created.id,
        userId: user.id,
        name: "Key",
        publicKey: await publicKeyOf(created),
        counter: 0,
      },
    });
    const { options: request } = await passkeyLoginOptions(deps);
    const response = authenticator.get(request, { counter: 1 });
    const input = { response, expectedChallenge: request.challenge };

    const results = await Promise.all([checkAssertion(deps, input), checkAssertion(deps, input)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: "counter_regression", userId: user.id });
    expect((await deps.db.passkey.findUniqueOrThrow({ where: { id: created.id } })).counter).toBe(1);
  });
});

/** The COSE public key inside a registration response, as the server stores it. */
async function publicKeyOf(response: { response: { attestationObject: string } }): Promise<string> {
  const { decodeAttestationObject, parseAuthenticatorData, isoBase64URL } = await import("@simplewebauthn/server/helpers");
  const attestation = decodeAttestationObject(isoBase64URL.toBuffer(response.response.attestationObject));
  const { credentialPublicKey } = parseAuthenticatorData(attestation.get("authData"));
  if (!credentialPublicKey) throw new Error("no public key");
  return isoBase64URL.fromBuffer(credentialPublicKey);
}
