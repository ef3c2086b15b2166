import { base64url, exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { type KeyRing, parseKeyRing } from "./keys";
import { signAccessToken, TokenError, verifyAccessToken } from "./tokens";

let ring: KeyRing;
let raw: { keys: Record<string, unknown>[] };
const claims = { userId: "user-1", sessionId: "session-1", role: "user" as const };

beforeAll(async () => {
  process.env.APP_URL = "http://localhost:3000";
  raw = await generateKeySet();
  ring = await parseKeyRing(JSON.stringify(raw));
});

async function reason(token: string, now?: number): Promise<string> {
  try {
    await verifyAccessToken(token, { ring, now });
    return "accepted";
  } catch (e) {
    return e instanceof TokenError ? e.reason : "threw";
  }
}

describe("access tokens", () => {
  it("carries the SPEC's claims and header, and no personal data", async () => {
    const { token, expiresIn } = await signAccessToken(claims, { ring, ttlMs: 300_000 });
    const [h, p] = token.split(".");
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(h ?? "")));
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p ?? "")));
    expect(header).toEqual({ alg: "ES256", kid: ring.signer.kid, typ: "at+jwt" });
    expect(Object.keys(payload).sort()).toEqual(["aud", "exp", "iat", "iss", "jti", "role", "sid", "sub"]);
    expect(payload.exp - payload.iat).toBe(300);
    expect(expiresIn).toBe(300);
    expect(await verifyAccessToken(token, { ring })).toMatchObject({ sub: "user-1", sid: "session-1", role: "user" });
  });

  it("tolerates 30 s of clock skew and no more", async () => {
    const now = Date.now();
    const { token } = await signAccessToken(claims, { ring, ttlMs: 60_000, now });
    expect(await reason(token, now + 60_000 + 20_000)).toBe("accepted");
    expect(await reason(token, now + 60_000 + 40_000)).toBe("expired");
  });

  it("refuses alg none, HMAC with the public key, foreign keys and unknown kids", async () => {
    const payload = { sub: "user-1", sid: "s", role: "admin", jti: "j", iss: "http://localhost:3000", aud: "http://localhost:3000" };
    const enc = (o: object) => base64url.encode(JSON.stringify(o));
    const body = enc({ ...payload, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 });
    for (const alg of ["none", "None", "NONE"]) {
      expect(await reason(`${enc({ alg, typ: "at+jwt", kid: ring.signer.kid })}.${body}.`)).not.toBe("accepted");
    }
    const publicJwk = JSON.stringify(ring.signer.publicJwk);
    const hs = await new SignJWT(payload)
      .setProtectedHeader({ alg: "HS256", kid: ring.signer.kid, typ: "at+jwt" })
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(new TextEncoder().encode(publicJwk));
    expect(await reason(hs)).toBe("invalid");

    const other = await generateKeyPair("ES256");
    const foreign = await new SignJWT(payload)
      .setProtectedHeader({ alg: "ES256", kid: ring.signer.kid, typ: "at+jwt" })
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(other.privateKey);
    expect(await reason(foreign)).toBe("invalid");
    const unknownKid = await new SignJWT(payload)
      .setProtectedHeader({ alg: "ES256", kid: "nope", typ: "at+jwt" })
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(other.privateKey);
    expect(await reason(unknownKid)).toBe("invalid");
    const embedded = await new SignJWT(payload)
      .setProtectedHeader({ alg: "ES256", kid: ring.signer.kid, typ: "at+jwt", jwk: await exportJWK(other.publicKey) })
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(other.privateKey);
    expect(await reason(embedded)).toBe("invalid");
  });

  it("refuses a token of another type, issuer or audience even when our key signed it", async () => {
    const key = ring.signer.privateKey;
    const base = () => new SignJWT({ sid: "s", role: "user", jti: "j" }).setSubject("u").setIssuedAt().setExpirationTime("1m");
    const good = { alg: "ES256", kid: ring.signer.kid, typ: "at+jwt" };
    expect(
      await reason(
        await base()
          .setProtectedHeader({ ...good, typ: "JWT" })
          .setIssuer("http://localhost:3000")
          .setAudience("http://localhost:3000")
          .sign(key),
      ),
    ).toBe("invalid");
    expect(
      await reason(await base().setProtectedHeader(good).setIssuer("https://evil.example").setAudience("http://localhost:3000").sign(key)),
    ).toBe("invalid");
    expect(
      await reason(await base().setProtectedHeader(good).setIssuer("http://localhost:3000").setAudience("https://evil.example").sign(key)),
    ).toBe("invalid");
    expect(
      await reason(await base().setProtectedHeader(good).setIssuer("http://localhost:3000").setAudience("http://localhost:3000").sign(key)),
    ).toBe("accepted");
  });

  it("names an impersonating admin in act (RFC 8693) and refuses a malformed act", async () => {
    const { token } = await signAccessToken({ ...claims, actorId: "admin-1" }, { ring });
    expect(await verifyAccessToken(token, { ring })).toMatchObject({ sub: "user-1", act: { sub: "admin-1" } });
    expect((await verifyAccessToken((await signAccessToken(claims, { ring })).token, { ring })).act).toBeUndefined();
    const signed = (act: unknown) =>
      new SignJWT({ sid: "s", role: "user", act })
        .setProtectedHeader({ alg: "ES256", kid: ring.signer.kid, typ: "at+jwt" })
        .setSubject("u")
        .setJti("j")
        .setIssuer("http://localhost:3000")
        .setAudience("http://localhost:3000")
        .setIssuedAt()
        .setExpirationTime("1m")
        .sign(ring.signer.privateKey);
    for (const act of ["admin-1", { sub: 7 }, {}, null]) expect(await reason(await signed(act))).toBe("invalid");
    expect(await reason(await signed({ sub: "admin-1" }))).toBe("accepted");
  });

  it("refuses oversized and malformed input before parsing", async () => {
    expect(await reason("a".repeat(5000))).toBe("malformed");
    expect(await reason("not-a-jwt")).toBe("malformed");
    expect(await reason("")).toBe("malformed");
  });

  it("verifies with every key in the ring, so rotation keeps old tokens valid", async () => {
    const older = await generateKeySet();
    const olderRing = await parseKeyRing(JSON.stringify(older));
    const { token } = await signAccessToken(claims, { ring: olderRing });
    const rotated = await parseKeyRing(JSON.stringify({ keys: [...raw.keys, ...older.keys] }));
    expect(rotated.signer.kid).toBe(ring.signer.kid);
    await expect(verifyAccessToken(token, { ring: rotated })).resolves.toMatchObject({ sub: "user-1" });
    await expect(verifyAccessToken(token, { ring })).rejects.toBeInstanceOf(TokenError);
  });
});

describe("key ring", () => {
  it("publishes public members only and refuses bad key sets", async () => {
    for (const jwk of ring.publicJwks) expect(jwk).not.toHaveProperty("d");
    await expect(parseKeyRing("not json")).rejects.toThrow(/not JSON/);
    await expect(parseKeyRing('{"keys":[]}')).rejects.toThrow(/at least one key/);
    const [key] = raw.keys;
    await expect(parseKeyRing(JSON.stringify({ keys: [{ ...key, alg: "HS256" }] }))).rejects.toThrow(/alg/);
    await expect(parseKeyRing(JSON.stringify({ keys: [{ ...key, d: undefined }] }))).rejects.toThrow(/private/);
    await expect(parseKeyRing(JSON.stringify({ keys: [key, key] }))).rejects.toThrow(/duplicate/);
  });
});

describe("TokenError across bundles", () => {
  it("is recognised when another copy of this module threw it (Next puts one in several server chunks)", async () => {
    vi.resetModules();
    const other = await import("./tokens");
    expect(other.TokenError).not.toBe(TokenError);
    const thrown: unknown = new other.TokenError("expired");
    expect(thrown instanceof TokenError).toBe(true);
    expect(new Error("access token expired") instanceof TokenError).toBe(false);
    expect((null as unknown) instanceof TokenError).toBe(false);
  });
});
