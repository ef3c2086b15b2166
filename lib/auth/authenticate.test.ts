import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { accessCookie } from "@/lib/edge/cookies";
import { parseKeyRing } from "@/lib/edge/keys";
import { signAccessToken } from "@/lib/edge/tokens";
import { AppError } from "@/lib/errors";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import fixtureKeys from "@/test/fixtures/signing-keys.json";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import { optionalPrincipal, requireAdminPrincipal, requirePrincipal } from "./authenticate";
import { issueTokens } from "./issue";
import { createSession, revokeSessions, toSessionUser } from "./session-store";

const FIXTURE_KID = fixtureKeys.keys[0]!.kid;

let deps: TestDeps;

beforeAll(async () => {
  vi.stubEnv("AUTH_SIGNING_KEYS", JSON.stringify(fixtureKeys));
  vi.stubEnv("APP_URL", "http://localhost:3000");
  vi.stubEnv("ACCESS_TOKEN_TTL", "5m");
  deps = await createTestDeps();
});
afterAll(async () => {
  await deps.cleanup();
  vi.unstubAllEnvs();
});
beforeEach(() => {
  // One test moves the clock; every test starts at the real time again.
  deps.clock.set(Date.now());
});

/** A seeded account with a live session and the tokens login would have issued for it. */
async function signedIn(input: { role?: "user" | "admin"; disabled?: boolean } = {}) {
  const user = await seedUser(deps, input);
  const session = await createSession(deps, { userId: user.id, ...meta });
  const row = await deps.db.user.findUniqueOrThrow({ where: { id: user.id } });
  const tokens = await issueTokens(session, toSessionUser(row));
  return { user, sessionId: session.sessionId, token: tokens.accessToken };
}

/** What route handlers pass: a NextRequest, whose headers and cookie jar are read. */
function request(opts: { authorization?: string; cookie?: string } = {}): NextRequest {
  const headers = new Headers();
  if (opts.authorization !== undefined) headers.set("authorization", opts.authorization);
  if (opts.cookie !== undefined) headers.set("cookie", `${accessCookie().name}=${opts.cookie}`);
  return new NextRequest("http://localhost:3000/api/me", { headers });
}

/** The code of the AppError a promise rejects with, or "resolved". */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "resolved";
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return `${e.status} ${e.code}`;
  }
}

describe("requirePrincipal", () => {
  it("accepts a Bearer token and reads the user from the database", async () => {
    const { user, sessionId, token } = await signedIn();
    const principal = await requirePrincipal(deps, request({ authorization: `Bearer ${token}` }));
    expect(principal).toMatchObject({ via: "bearer", sessionId, user: { id: user.id, username: user.username, role: "user" } });
    expect(principal.claims).toMatchObject({ sub: user.id, sid: sessionId, role: "user" });
    // The scheme is case-insensitive (RFC 9110).
    await expect(requirePrincipal(deps, request({ authorization: `bearer ${token}` }))).resolves.toMatchObject({ via: "bearer" });
  });

  it("accepts the access cookie, named by accessCookie()", async () => {
    expect(accessCookie().name).toBe("latchkey_at");
    const { user, token } = await signedIn();
    await expect(requirePrincipal(deps, request({ cookie: token }))).resolves.toMatchObject({ via: "cookie", user: { id: user.id } });
  });

  it("prefers the Bearer token over the cookie, and never falls back to the cookie", async () => {
    const scripted = await signedIn();
    const browser = await signedIn();
    const both = request({ authorization: `Bearer ${scripted.token}`, cookie: browser.token });
    await expect(requirePrincipal(deps, both)).resolves.toMatchObject({ via: "bearer", user: { id: scripted.user.id } });
    const badBearer = request({ authorization: "Bearer not.a.token", cookie: browser.token });
    expect(await refusal(requirePrincipal(deps, badBearer))).toBe("401 invalid_token");
  });

  it("refuses a malformed Authorization header with invalid_token, even beside a good cookie", async () => {
    const { token } = await signedIn();
    for (const authorization of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", `Token ${token}`, `Bearer  ${token} x`, ""]) {
      expect(await refusal(requirePrincipal(deps, request({ authorization, cookie: token }))), authorization).toBe("401 invalid_token");
    }
  });

  it("refuses a request without credentials with unauthenticated", async () => {
    expect(await refusal(requirePrincipal(deps, request()))).toBe("401 unauthenticated");
    expect(await refusal(requirePrincipal(deps, request({ cookie: "" })))).toBe("401 unauthenticated");
  });

  it("refuses the token of a revoked session at once, and only that session's", async () => {
    const first = await signedIn();
    const second = await createSession(deps, { userId: first.user.id, ...meta });
    const row = await deps.db.user.findUniqueOrThrow({ where: { id: first.user.id } });
    const other = await issueTokens(second, toSessionUser(row));

    expect(await revokeSessions(deps, { sessionId: first.sessionId }, "logout")).toBe(1);
    expect(await refusal(requirePrincipal(deps, request({ authorization: `Bearer ${first.token}` })))).toBe("401 invalid_token");
    expect(await refusal(requirePrincipal(deps, request({ cookie: first.token })))).toBe("401 invalid_token");
    await expect(requirePrincipal(deps, request({ cookie: other.accessToken }))).resolves.toMatchObject({ sessionId: second.sessionId });
  });

  it("refuses the token of a user disabled after it was issued", async () => {
    const { user, token } = await signedIn();
    await expect(requirePrincipal(deps, request({ cookie: token }))).resolves.toBeTruthy();
    await deps.db.user.update({ where: { id: user.id }, data: { disabled: true } });
    expect(await refusal(requirePrincipal(deps, request({ cookie: token })))).toBe("401 invalid_token");
  });

  it("refuses a session idle for REFRESH_IDLE_TTL, though its access token is unexpired", async () => {
    const { token } = await signedIn();
    const idle = deps.config.REFRESH_IDLE_TTL;
    deps.clock.advance(idle - 1000);
    await expect(requirePrincipal(deps, request({ cookie: token }))).resolves.toBeTruthy();
    deps.clock.advance(1000);
    expect(await refusal(requirePrincipal(deps, request({ cookie: token })))).toBe("401 invalid_token");
  });

  it("refuses a token for a live session signed by another key, even one claiming our kid", async () => {
    const { user, sessionId } = await signedIn();
    const claims = { userId: user.id, sessionId, role: "user" as const };
    const foreign = await generateKeySet();
    const unknownKid = await signAccessToken(claims, { ring: await parseKeyRing(JSON.stringify(foreign)) });
    const ourKid = await signAccessToken(claims, {
      ring: await parseKeyRing(JSON.stringify({ keys: [{ ...foreign.keys[0], kid: FIXTURE_KID }] })),
    });
    for (const forged of [unknownKid.token, ourKid.token]) {
      expect(await refusal(requirePrincipal(deps, request({ authorization: `Bearer ${forged}` })))).toBe("401 invalid_token");
    }
    // The same claims under the real key are accepted: only the key made the difference.
    const genuine = await signAccessToken(claims);
    await expect(requirePrincipal(deps, request({ authorization: `Bearer ${genuine.token}` }))).resolves.toBeTruthy();
  });

  it("refuses a genuine token whose session belongs to someone else", async () => {
    const victim = await signedIn();
    const attacker = await signedIn();
    const mixed = await signAccessToken({ userId: attacker.user.id, sessionId: victim.sessionId, role: "user" });
    expect(await refusal(requirePrincipal(deps, request({ cookie: mixed.token })))).toBe("401 invalid_token");
  });
});

describe("requireAdminPrincipal", () => {
  it("takes the role from the database row: a token saying admin for a user row is forbidden", async () => {
    const { user, token } = await signedIn({ role: "admin" });
    await expect(requireAdminPrincipal(deps, request({ cookie: token }))).resolves.toMatchObject({ user: { role: "admin" } });
    await deps.db.user.update({ where: { id: user.id }, data: { role: "user" } });
    expect(await refusal(requireAdminPrincipal(deps, request({ cookie: token })))).toBe("403 forbidden");
    // Still a valid principal for pages any user may see.
    await expect(requirePrincipal(deps, request({ cookie: token }))).resolves.toMatchObject({ claims: { role: "admin" } });
  });

  it("and the reverse: a token saying user for a row promoted to admin is let in", async () => {
    const { user, token } = await signedIn();
    expect(await refusal(requireAdminPrincipal(deps, request({ cookie: token })))).toBe("403 forbidden");
    await deps.db.user.update({ where: { id: user.id }, data: { role: "admin" } });
    const principal = await requireAdminPrincipal(deps, request({ cookie: token }));
    expect(principal).toMatchObject({ user: { id: user.id, role: "admin" }, claims: { role: "user" } });
  });

  it("still answers 401 before 403 when there is no live session", async () => {
    expect(await refusal(requireAdminPrincipal(deps, request()))).toBe("401 unauthenticated");
    const { sessionId, token } = await signedIn({ role: "admin" });
    await revokeSessions(deps, { sessionId }, "revoked_by_admin");
    expect(await refusal(requireAdminPrincipal(deps, request({ cookie: token })))).toBe("401 invalid_token");
  });
});

describe("optionalPrincipal", () => {
  it("is null without credentials or with a token that is no longer good, and the principal otherwise", async () => {
    expect(await optionalPrincipal(deps, request())).toBeNull();
    const { user, sessionId, token } = await signedIn();
    await expect(optionalPrincipal(deps, request({ cookie: token }))).resolves.toMatchObject({ user: { id: user.id } });
    expect(await optionalPrincipal(deps, request({ cookie: "garbage" }))).toBeNull();
    await revokeSessions(deps, { sessionId }, "logout");
    expect(await optionalPrincipal(deps, request({ authorization: `Bearer ${token}` }))).toBeNull();
  });

  it("still refuses a malformed Authorization header rather than ignoring it", async () => {
    expect(await refusal(optionalPrincipal(deps, request({ authorization: "Basic dXNlcjpwYXNz" })))).toBe("401 invalid_token");
  });
});
