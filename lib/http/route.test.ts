// Real route handlers driven in-process through route(): the process-wide deps() over a throwaway
// database, configured from process.env exactly as the server is. No server, no `next build`.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as loginRoute } from "@/app/api/auth/login/route";
import { GET as meRoute } from "@/app/api/me/route";
import { reloadConfig } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { type Deps, deps } from "@/lib/deps";
import { UNKNOWN_FIELD_MESSAGE } from "@/lib/validation/field-errors";
import fixtureKeys from "@/test/fixtures/signing-keys.json";
import { seedUser } from "@/test/support/deps";
import { createTestDb, type TestDb } from "@/test/support/test-db";
import { CLIENT_ADDRESS_HEADER } from "./client-info";

const ORIGIN = "http://localhost:3000";
const ADDRESS = "198.51.100.23";

let testDb: TestDb;
let app: Deps;

beforeAll(async () => {
  testDb = await createTestDb();
  vi.stubEnv("NODE_ENV", "test");
  vi.stubEnv("DATABASE_URL", testDb.url);
  vi.stubEnv("AUTH_SIGNING_KEYS", JSON.stringify(fixtureKeys));
  vi.stubEnv("APP_URL", ORIGIN);
  vi.stubEnv("BCRYPT_COST", "4");
  vi.stubEnv("ACCESS_TOKEN_TTL", "5m");
  // Whatever the developer's shell holds: the throttle on the test database, no proxy headers believed.
  vi.stubEnv("REDIS_URL", "");
  vi.stubEnv("TRUST_PROXY", "");
  reloadConfig();
  app = deps();
  // Guard: a stale configuration would send these writes to the developer's own database.
  if (app.config.DATABASE_URL !== testDb.url) throw new Error(`deps() is on ${app.config.DATABASE_URL}`);
});

afterAll(async () => {
  // Before unstubbing: deps() after reloadConfig() would build a new set over the default
  // DATABASE_URL (file:./data/app.db), creating that file in the working tree.
  await app.throttle.close();
  await disconnectDb();
  await testDb.cleanup();
  vi.unstubAllEnvs();
  reloadConfig();
});

type Reply = { status: number; headers: Headers; body: any };

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

async function postLogin(body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const req = new NextRequest(`${ORIGIN}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, [CLIENT_ADDRESS_HEADER]: ADDRESS, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return reply(await loginRoute(req));
}

async function getMe(headers: Record<string, string> = {}): Promise<Reply> {
  return reply(await meRoute(new NextRequest(`${ORIGIN}/api/me`, { headers })));
}

/** Set-Cookie lines by cookie name. */
function cookiesOf(headers: Headers): Map<string, string> {
  return new Map(headers.getSetCookie().map((line) => [line.slice(0, line.indexOf("=")), line]));
}

const sessionsOf = (userId: string) => app.db.session.findMany({ where: { userId }, select: { address: true, userAgent: true } });

describe("POST /api/auth/login and GET /api/me through route()", () => {
  it("signs in with 200, the SPEC body and the session cookies; /api/me answers for the Bearer and the cookie", async () => {
    const user = await seedUser(app);
    const res = await postLogin({ username: user.username, password: user.password }, { "user-agent": "route-test" });

    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(Object.keys(res.body).sort()).toEqual(["access_token", "expires_in", "token_type", "user"]);
    expect(res.body).toMatchObject({ token_type: "Bearer", expires_in: 300 });
    expect(res.body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const expectedUser = {
      id: user.id,
      username: user.username,
      email: null,
      emailVerified: false,
      role: "user",
      createdAt: expect.any(String),
      secondFactors: { totp: false, passkeys: 0 },
    };
    expect(res.body.user).toEqual(expectedUser);

    const cookies = cookiesOf(res.headers);
    expect([...cookies.keys()].sort()).toEqual(["latchkey_at", "latchkey_device", "latchkey_rt"]);
    const access = cookies.get("latchkey_at") ?? "";
    expect(access.startsWith(`latchkey_at=${res.body.access_token};`)).toBe(true);
    expect(access).toMatch(/; Path=\/(;|$)/);
    expect(access).toMatch(/Max-Age=300/);
    const refresh = cookies.get("latchkey_rt") ?? "";
    expect(refresh).toMatch(/^latchkey_rt=[A-Za-z0-9_-]{43};/);
    expect(refresh).toMatch(/Path=\/api\/auth/);
    for (const line of [access, refresh]) {
      expect(line).toMatch(/HttpOnly/);
      expect(line).toMatch(/SameSite=lax/i);
      expect(line).not.toMatch(/Secure/); // APP_URL is http
    }
    // route() handed the client's address and agent to the use case.
    expect(await sessionsOf(user.id)).toEqual([{ address: ADDRESS, userAgent: "route-test" }]);

    const viaBearer = await getMe({ authorization: `Bearer ${res.body.access_token}` });
    expect(viaBearer.status).toBe(200);
    expect(viaBearer.body).toEqual({ user: { ...res.body.user, impersonator: null } });
    const viaCookie = await getMe({ cookie: `latchkey_at=${res.body.access_token}` });
    expect(viaCookie).toMatchObject({ status: 200, body: { user: { id: user.id } } });
    expect(await getMe()).toMatchObject({ status: 401, body: { code: "unauthenticated" } });
  });

  it('gives a script the refresh token in the body and no session cookies with token_delivery "body"', async () => {
    const user = await seedUser(app);
    const res = await postLogin({ username: user.username, password: user.password, token_delivery: "body" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: "Bearer", refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(res.body.refresh_expires_in).toBeGreaterThan(0);
    expect([...cookiesOf(res.headers).keys()]).toEqual([]);
  });

  it("refuses a wrong password with 401 invalid_credentials and no cookies", async () => {
    const user = await seedUser(app);
    const res = await postLogin({ username: user.username, password: `${user.password}!` });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: "invalid_credentials", message: "The username or password is incorrect." });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await sessionsOf(user.id)).toEqual([]);
  });

  it("refuses a cross-site POST with 403 cross_site_request before it reaches login, right password or not", async () => {
    const user = await seedUser(app);
    const credentials = { username: user.username, password: user.password };
    const fromOrigin = await postLogin(credentials, { origin: "https://evil.example" });
    expect(fromOrigin.status).toBe(403);
    expect(fromOrigin.body).toEqual({ code: "cross_site_request", message: "Cross-site requests are not allowed." });
    // Without Origin, Sec-Fetch-Site speaks for the browser.
    const req = new NextRequest(`${ORIGIN}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "sec-fetch-site": "cross-site" },
      body: JSON.stringify(credentials),
    });
    expect(await reply(await loginRoute(req))).toMatchObject({ status: 403, body: { code: "cross_site_request" } });
    expect(await sessionsOf(user.id)).toEqual([]);
  });

  it("answers malformed JSON with 400 malformed_json", async () => {
    const res = await postLogin('{"username": "someone", "password": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: "malformed_json", message: "The request body is not valid JSON." });
  });

  it("answers an unknown key with 422 validation_failed naming it in fields", async () => {
    const user = await seedUser(app);
    const res = await postLogin({ username: user.username, password: user.password, role: "admin" });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      code: "validation_failed",
      message: "Some fields are not valid.",
      fields: { role: [UNKNOWN_FIELD_MESSAGE] },
    });
    expect(await sessionsOf(user.id)).toEqual([]);
  });
});
