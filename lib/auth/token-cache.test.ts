import { beforeAll, describe, expect, it, vi } from "vitest";
import { type KeyRing, parseKeyRing } from "@/lib/edge/keys";
import * as tokens from "@/lib/edge/tokens";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { VerifiedTokenCache } from "./token-cache";

// The caches under test verify through this spy, to count what reaches jose.
const verify = vi.fn(tokens.verifyAccessToken);

let old: { keys: Record<string, unknown>[] };
let next: { keys: Record<string, unknown>[] };
let ring: KeyRing;
const input = { userId: "user-1", sessionId: "session-1", role: "user" as const };

beforeAll(async () => {
  vi.stubEnv("APP_URL", "http://localhost:3000");
  [old, next] = [await generateKeySet(), await generateKeySet()];
  ring = await parseKeyRing(JSON.stringify(old));
});

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "accepted";
  } catch (e) {
    return e instanceof tokens.TokenError ? e.reason : "threw";
  }
}

describe("verified-token cache", () => {
  it("verifies a token once, then answers from the cache with the same claims", async () => {
    const cache = new VerifiedTokenCache({ verifyToken: verify });
    const { token } = await tokens.signAccessToken(input, { ring });
    verify.mockClear();
    const first = await cache.verify(token, { ring });
    const second = await cache.verify(token, { ring });
    expect(second).toEqual(first);
    expect(first).toMatchObject({ sub: "user-1", sid: "session-1", role: "user" });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it("never answers an altered token from the cache: the key is the whole token", async () => {
    const cache = new VerifiedTokenCache({ verifyToken: verify });
    const { token } = await tokens.signAccessToken(input, { ring });
    await cache.verify(token, { ring });
    const [h, p, s] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    const admin = Buffer.from(JSON.stringify({ ...claims, role: "admin" })).toString("base64url");
    const flipped = `${s.slice(0, 10)}${s[10] === "A" ? "B" : "A"}${s.slice(11)}`;
    for (const forged of [`${h}.${admin}.${s}`, `${h}.${p}.${flipped}`, `${h}.${p}.`]) {
      expect(await outcome(cache.verify(forged, { ring }))).not.toBe("accepted");
    }
    expect(cache.size).toBe(1);
  });

  it("lets a cached token go at its exp: past it, verification decides (expired)", async () => {
    const cache = new VerifiedTokenCache({ verifyToken: verify });
    const now = Date.now();
    const { token, expiresAt } = await tokens.signAccessToken(input, { ring, ttlMs: 60_000, now });
    await cache.verify(token, { ring, now });
    verify.mockClear();
    expect(await outcome(cache.verify(token, { ring, now: expiresAt - 1 }))).toBe("accepted");
    expect(verify).not.toHaveBeenCalled();
    // Within jose's 30 s skew it is still good, but no longer from the cache.
    expect(await outcome(cache.verify(token, { ring, now: expiresAt }))).toBe("accepted");
    expect(verify).toHaveBeenCalledTimes(1);
    expect(await outcome(cache.verify(token, { ring, now: expiresAt + 31_000 }))).toBe("expired");
  });

  it("a key removed from the ring takes its cached tokens with it (SPEC key rotation)", async () => {
    const cache = new VerifiedTokenCache({ verifyToken: verify });
    const both = await parseKeyRing(JSON.stringify({ keys: [...next.keys, ...old.keys] }));
    const { token } = await tokens.signAccessToken(input, { ring });
    // Rotation: a new key signs first, the old one still verifies its tokens.
    expect(await outcome(cache.verify(token, { ring: both }))).toBe("accepted");
    expect(await outcome(cache.verify(token, { ring: both }))).toBe("accepted");
    // The old key is retired: its token, though cached and unexpired, is refused.
    const retired = await parseKeyRing(JSON.stringify(next));
    expect(await outcome(cache.verify(token, { ring: retired }))).toBe("invalid");
  });

  it("stays bounded, dropping the least recently used token", async () => {
    const cache = new VerifiedTokenCache({ maxEntries: 3, verifyToken: verify });
    const issued = [];
    for (let i = 0; i < 4; i++) issued.push((await tokens.signAccessToken({ ...input, sessionId: `s${i}` }, { ring })).token);
    for (const token of issued.slice(0, 3)) await cache.verify(token, { ring });
    await cache.verify(issued[0] as string, { ring });
    await cache.verify(issued[3] as string, { ring });
    expect(cache.size).toBe(3);
    verify.mockClear();
    await cache.verify(issued[0] as string, { ring });
    expect(verify).not.toHaveBeenCalled();
    await cache.verify(issued[1] as string, { ring });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it("does not cache a refusal", async () => {
    const cache = new VerifiedTokenCache({ verifyToken: verify });
    const other = await parseKeyRing(JSON.stringify(next));
    const { token } = await tokens.signAccessToken(input, { ring: other });
    expect(await outcome(cache.verify(token, { ring }))).toBe("invalid");
    expect(cache.size).toBe(0);
  });
});
