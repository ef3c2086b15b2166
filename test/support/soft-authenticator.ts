// A software WebAuthn authenticator for tests: ES256 key pairs from node:crypto, and the bytes a
// real one makes, built by hand (WebAuthn §6.1 authenticator data, §6.5 "none" attestation,
// §5.8.1 client data). It answers the JSON options the server hands out with the JSON a browser
// would post (what @simplewebauthn/browser's startRegistration/startAuthentication return), and
// can be told to lie: another origin or relying party, no user verification, a chosen counter.
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoCBOR } from "@simplewebauthn/server/helpers";

type Cbor = Parameters<typeof isoCBOR.encode>[0];

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export type StoredCredential = { id: string; rpId: string; userHandle: string; privateKey: KeyObject; counter: number };

export type CeremonyOverrides = {
  /** The origin the "browser" puts in clientDataJSON; the authenticator's origin by default. */
  origin?: string;
  /** The relying party id whose hash goes into the authenticator data; the options' by default. */
  rpId?: string;
  /** False: the UV flag is not set (an authenticator that did not verify the person). */
  userVerified?: boolean;
  /** The signature counter to report (then kept); by default it goes up by one each use. */
  counter?: number;
  /** Another clientDataJSON type ("webauthn.get" for a create, and so on). */
  type?: string;
};

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: "jwk" });
  if (!jwk.x || !jwk.y) throw new Error("not an EC key");
  // kty: EC2, alg: ES256, crv: P-256, x, y (RFC 9053 §7.1).
  const map = new Map<number, Cbor>([
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, Buffer.from(jwk.x, "base64url")],
    [-3, Buffer.from(jwk.y, "base64url")],
  ]);
  return isoCBOR.encode(map);
}

export class SoftAuthenticator {
  readonly credentials = new Map<string, StoredCredential>();

  /** `origin`: the page the ceremonies happen on (http://localhost:3000 in createTestDeps). */
  constructor(readonly origin = "http://localhost:3000") {}

  /** navigator.credentials.create(): a new discoverable ES256 credential, attestation "none". */
  create(options: PublicKeyCredentialCreationOptionsJSON, o: CeremonyOverrides & { credentialId?: string } = {}): RegistrationResponseJSON {
    const rpId = o.rpId ?? options.rp.id ?? new URL(this.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    // `credentialId`: an id this authenticator (or another) made before, as a broken or hostile one might.
    const rawId = o.credentialId ? Buffer.from(o.credentialId, "base64url") : randomBytes(16);
    const id = b64url(rawId);
    const counter = o.counter ?? 0;
    const flags = FLAG_UP | FLAG_AT | (o.userVerified === false ? 0 : FLAG_UV);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(rawId.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([flags]),
      u32(counter),
      Buffer.alloc(16), // AAGUID: all zeros, as "none" attestation sends
      idLength,
      rawId,
      Buffer.from(coseKey(publicKey)),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, Cbor>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    );
    const clientDataJSON = this.clientData(o.type ?? "webauthn.create", options.challenge, o.origin);
    this.credentials.set(id, { id, rpId, userHandle: options.user.id, privateKey, counter });
    return {
      id,
      rawId: id,
      type: "public-key",
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
      response: { clientDataJSON, attestationObject: b64url(attestationObject), transports: ["internal", "hybrid"] },
    };
  }

  /** navigator.credentials.get(): an assertion by `credentialId` (the only one held, by default). */
  get(options: PublicKeyCredentialRequestOptionsJSON, o: CeremonyOverrides & { credentialId?: string } = {}): AuthenticationResponseJSON {
    const credential = o.credentialId ? this.credentials.get(o.credentialId) : [...this.credentials.values()].at(-1);
    if (!credential) throw new Error("no such credential");
    credential.counter = o.counter ?? credential.counter + 1;
    const rpId = o.rpId ?? options.rpId ?? credential.rpId;
    const flags = FLAG_UP | (o.userVerified === false ? 0 : FLAG_UV);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([flags]), u32(credential.counter)]);
    const clientDataJSON = this.clientData(o.type ?? "webauthn.get", options.challenge, o.origin);
    // ES256: ECDSA over authenticatorData ‖ SHA-256(clientDataJSON), DER-encoded (WebAuthn §6.3.3).
    const signature = sign("sha256", Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, "base64url"))]), credential.privateKey);
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
      response: { clientDataJSON, authenticatorData: b64url(authData), signature: b64url(signature), userHandle: credential.userHandle },
    };
  }

  private clientData(type: string, challenge: string, origin = this.origin): string {
    return b64url(Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false })));
  }
}
