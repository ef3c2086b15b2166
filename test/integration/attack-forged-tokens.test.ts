// Attack class 1a: forged access tokens (RFC 8725 §2.1–2.8). Each forgery is sent as a Bearer
// token to /api/me and /api/admin and as the access cookie to /dashboard and /admin; the server
// must refuse it everywhere, and the admin it impersonates must be left exactly as it was.
// These attacks are about the token alone, so they run on SQLite only.
import { beforeAll, describe, expect, it } from "vitest";
import { HTTP_LAYER_PROVIDER, useApp } from "../support/app";
import {
  accessClaims,
  attackerKey,
  type Claims,
  claimsOf,
  type Header,
  headerFor,
  type RingKey,
  ringKey,
  signHmac,
  signRaw,
  tamper,
  unsigned,
  without,
} from "../support/forge";

const ADMIN_MARKER = "Find accounts, invite people, and manage access";
const DASHBOARD_MARKER = "Here is how your session works.";

describe(`forged access tokens are refused (${HTTP_LAYER_PROVIDER})`, () => {
  const app = useApp(HTTP_LAYER_PROVIDER, { shared: true });
  let key: RingKey;
  let attacker: Awaited<ReturnType<typeof attackerKey>>;
  let userToken: string;
  let adminToken: string;
  let admin: { sub: string; sid: string };
  let user: { id: string; username: string; sub: string; sid: string };

  beforeAll(async () => {
    key = await ringKey(app.keys);
    attacker = await attackerKey();
    const u = await app.newUser();
    const a = await app.newUser({ role: "admin" });
    userToken = (await app.script().post("/api/auth/login", { username: u.username, password: u.password })).body.access_token;
    adminToken = (await app.script().post("/api/auth/login", { username: a.username, password: a.password })).body.access_token;
    admin = claimsOf(adminToken);
    user = { id: u.id, username: u.username, ...claimsOf(userToken) };
  });

  /** Claims naming the real admin's live session: only the signature stands between them and the server. */
  const adminClaims = (extra: Claims = {}) => accessClaims(app.url, { ...admin, role: "admin" }, extra);

  async function sessionsOfAdmin(): Promise<number> {
    const res = await app.script().get("/api/sessions", { bearer: adminToken });
    expect(res.status).toBe(200);
    return res.body.sessions.length;
  }

  async function expectRefusedEverywhere(token: string): Promise<void> {
    const before = await sessionsOfAdmin();
    const script = app.script();
    for (const path of ["/api/me", "/api/admin", "/api/admin/users"]) {
      const res = await script.get(path, { bearer: token });
      expect(res.status, `${path} with Bearer`).toBe(401);
      expect(res.body).toEqual({ code: "invalid_token", message: expect.any(String) });
    }
    // A write with the forgery: the user's role must not change.
    const patch = await script.patch(`/api/admin/users/${user.id}`, { role: "admin" }, { bearer: token });
    expect(patch.status).toBe(401);

    const browser = app.browser();
    browser.setCookie("latchkey_at", token);
    const me = await browser.get("/api/me");
    expect(me.status, "/api/me with the cookie").toBe(401);
    for (const page of ["/dashboard", "/admin"]) {
      const res = await browser.get(page);
      expect(res.status, `${page} with the cookie`).toBe(307);
      const location = new URL(res.headers.get("location") ?? "", app.url);
      expect(location.origin).toBe(new URL(app.url).origin);
      expect(location.pathname).toBe("/api/auth/refresh");
      expect(location.searchParams.get("next")).toBe(page);
      expect(res.text).not.toContain(ADMIN_MARKER);
      expect(res.text).not.toContain(DASHBOARD_MARKER);
    }

    const check = await app.script().get(`/api/admin/users?q=${user.username}`, { bearer: adminToken });
    expect(check.body.users).toEqual([expect.objectContaining({ id: user.id, role: "user" })]);
    expect(await sessionsOfAdmin()).toBe(before);
  }

  it("control: the genuine tokens are accepted, so every refusal below is the forgery's", async () => {
    const script = app.script();
    expect((await script.get("/api/admin", { bearer: adminToken })).status).toBe(200);
    expect((await script.get("/api/me", { bearer: userToken })).status).toBe(200);
    const hand = await signRaw(headerFor(key), adminClaims(), key.privateKey);
    expect((await script.get("/api/admin", { bearer: hand })).status).toBe(200);
    const browser = app.browser();
    browser.setCookie("latchkey_at", hand);
    const page = await browser.get("/admin");
    expect(page.status).toBe(200);
    expect(page.text).toContain(ADMIN_MARKER);
  });

  it.each(["none", "None", "NONE", "nOnE"])('alg "%s" with an empty signature', async (alg) => {
    await expectRefusedEverywhere(unsigned({ alg, kid: key.kid, typ: "at+jwt" }, adminClaims()));
    await expectRefusedEverywhere(unsigned({ alg, typ: "at+jwt" }, adminClaims()));
  });

  it("alg none keeping a genuine token's signature", async () => {
    const [, , signature] = adminToken.split(".");
    const stripped = unsigned({ alg: "none", kid: key.kid, typ: "at+jwt" }, claimsOf(adminToken));
    await expectRefusedEverywhere(`${stripped}${signature}`);
  });

  it("HS256 signed with the public key as the HMAC secret (JWK JSON and PEM)", async () => {
    const { kid: _kid, alg: _alg, use: _use, ...bareJwk } = key.publicJwk;
    const secrets = [JSON.stringify(key.publicJwk), JSON.stringify(bareJwk), key.publicPem, key.publicPem.trim()];
    for (const secret of secrets) {
      await expectRefusedEverywhere(signHmac({ alg: "HS256", kid: key.kid, typ: "at+jwt" }, adminClaims(), secret));
    }
  });

  it("a different ES256 key presented under the real kid", async () => {
    await expectRefusedEverywhere(await signRaw(headerFor(key), adminClaims(), attacker.privateKey));
  });

  it("an unknown kid, a path-traversal kid, and a missing kid", async () => {
    await expectRefusedEverywhere(await signRaw({ alg: "ES256", kid: "attacker-1", typ: "at+jwt" }, adminClaims(), attacker.privateKey));
    await expectRefusedEverywhere(signHmac({ alg: "HS256", kid: "../../../../../../dev/null", typ: "at+jwt" }, adminClaims(), ""));
    await expectRefusedEverywhere(await signRaw({ alg: "ES256", typ: "at+jwt" }, adminClaims(), attacker.privateKey));
    // Even our own key is not looked for without a kid: the header must name one.
    await expectRefusedEverywhere(await signRaw({ alg: key.alg, typ: "at+jwt" }, adminClaims(), key.privateKey));
  });

  it("embedded jwk, jku, x5u and x5c headers carrying the attacker's key", async () => {
    const embedded: Header[] = [
      { jwk: attacker.publicJwk },
      { jku: "https://evil.example/.well-known/jwks.json" },
      { x5u: "https://evil.example/cert.pem" },
      { x5c: [Buffer.from(JSON.stringify(attacker.publicJwk)).toString("base64")] },
    ];
    for (const extra of embedded) {
      await expectRefusedEverywhere(await signRaw(headerFor(key, extra), adminClaims(), attacker.privateKey));
      await expectRefusedEverywhere(await signRaw({ alg: "ES256", typ: "at+jwt", ...extra }, adminClaims(), attacker.privateKey));
    }
  });

  it("a crit header the server does not understand, even with a genuine signature", async () => {
    await expectRefusedEverywhere(await signRaw(headerFor(key, { crit: ["exp"] }), adminClaims(), key.privateKey));
    await expectRefusedEverywhere(
      await signRaw(headerFor(key, { crit: ["x-latchkey"], "x-latchkey": true }), adminClaims(), key.privateKey),
    );
  });

  it("typ other than at+jwt, even with a genuine signature", async () => {
    for (const typ of ["JWT", "jwt", "JOSE", "refresh+jwt"]) {
      await expectRefusedEverywhere(await signRaw(headerFor(key, { typ }), adminClaims(), key.privateKey));
    }
    await expectRefusedEverywhere(await signRaw({ alg: key.alg, kid: key.kid }, adminClaims(), key.privateKey));
  });

  it("wrong iss, wrong aud, missing exp, and non-numeric exp, even with a genuine signature", async () => {
    const forged: Claims[] = [
      adminClaims({ iss: "https://evil.example" }),
      adminClaims({ aud: "https://evil.example" }),
      adminClaims({ aud: ["https://evil.example"] }),
      without(adminClaims(), "iss"),
      without(adminClaims(), "aud"),
      without(adminClaims(), "exp"),
      adminClaims({ exp: "9999999999" }),
    ];
    for (const claims of forged) await expectRefusedEverywhere(await signRaw(headerFor(key), claims, key.privateKey));
  });

  it("the role claim of a user's genuine token altered to admin (the signature breaks)", async () => {
    await expectRefusedEverywhere(tamper(userToken, { role: "admin" }));
    await expectRefusedEverywhere(tamper(userToken, { sub: admin.sub, sid: admin.sid }));
  });

  it("an oversized (10 KB) token, even with a genuine signature", async () => {
    const token = await signRaw(headerFor(key), adminClaims({ pad: "A".repeat(10_000) }), key.privateKey);
    expect(token.length).toBeGreaterThan(10_000);
    await expectRefusedEverywhere(token);
  });

  it("structurally broken tokens get the same 401, never a 5xx", async () => {
    const broken = ["", "a", "a.b", "a.b.c.d", "....", "%%%.%%%.%%%", `${"e".repeat(20)}.${"e".repeat(20)}.`, `${adminToken}.`];
    for (const token of broken) {
      const res = await app.script().get("/api/me", { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, JSON.stringify(token)).toBe(401);
      expect(res.body.code).toMatch(/^(invalid_token|unauthenticated)$/);
    }
  });
});
