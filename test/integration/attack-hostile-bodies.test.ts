// Attack class 4a: hostile JSON bodies on every endpoint that takes one: the wrong JSON types,
// unknown fields that try to grant privileges (mass assignment), control characters, and
// prototype-pollution keys. Each is refused with the SPEC's error shape, nothing is written,
// and the server behaves normally afterwards.
import { beforeAll, describe, expect, it } from "vitest";
import { HTTP_LAYER_PROVIDER, useApp } from "../support/app";
import { GOOD_PASSWORD, type Reply, uniqueName } from "../support/client";
import { assertSpecError } from "../support/forge";

type Endpoint = { name: string; send: (body: string) => Promise<Reply> };

describe(`hostile JSON bodies on ${HTTP_LAYER_PROVIDER}`, () => {
  const app = useApp(HTTP_LAYER_PROVIDER, { shared: true });
  let adminToken: string;
  let userToken: string;
  let target: { id: string; username: string; password: string };
  let endpoints: Endpoint[];

  beforeAll(async () => {
    const admin = await app.newUser({ role: "admin" });
    target = await app.newUser();
    adminToken = (await app.script().post("/api/auth/login", { username: admin.username, password: admin.password })).body.access_token;
    userToken = (await app.script().post("/api/auth/login", { username: target.username, password: target.password })).body.access_token;
    const post =
      (path: string, bearer?: string, method = "POST") =>
      (body: string) =>
        app.script().request(method, path, { body, bearer, headers: { "content-type": "application/json" } });
    endpoints = [
      { name: "register", send: post("/api/auth/register") },
      { name: "login", send: post("/api/auth/login") },
      { name: "refresh", send: post("/api/auth/refresh") },
      { name: "logout", send: post("/api/auth/logout") },
      { name: "admin patch", send: post(`/api/admin/users/${target.id}`, adminToken, "PATCH") },
      { name: "password", send: post("/api/account/password", userToken) },
    ];
  });

  async function targetUnchanged(): Promise<void> {
    const list = await app.script().get(`/api/admin/users?q=${target.username}`, { bearer: adminToken });
    expect(list.body.users).toEqual([expect.objectContaining({ id: target.id, role: "user", disabled: false })]);
    expect((await app.script().get("/api/me", { bearer: userToken })).status).toBe(200);
    expect((await app.script().post("/api/auth/login", { username: target.username, password: target.password })).status).toBe(200);
  }

  it("JSON that is not an object (array, string, number, null, boolean) → 400/422", async () => {
    for (const body of ["[]", '[{"username":"a"}]', '"admin"', "42", "null", "true", "-0", "1e999"]) {
      for (const e of endpoints) {
        const res = await e.send(body);
        expect([400, 422], `${e.name} ${body}`).toContain(res.status);
        assertSpecError(res, `${e.name} ${body}`);
      }
    }
    await targetUnchanged();
  });

  it("fields of the wrong type → 422 naming each field", async () => {
    const cases: [string, unknown, string[]][] = [
      ["register", { username: 123, password: ["x"], email: {} }, ["username", "password", "email"]],
      ["login", { username: { $ne: null }, password: true }, ["username", "password"]],
      ["refresh", { refresh_token: 5 }, ["refresh_token"]],
      ["logout", { everywhere: "yes", refresh_token: [] }, ["everywhere", "refresh_token"]],
      ["admin patch", { role: "root", disabled: "yes" }, ["role", "disabled"]],
      ["password", { currentPassword: 1, newPassword: null }, ["currentPassword", "newPassword"]],
    ];
    for (const [name, body, fields] of cases) {
      const res = await endpoints.find((e) => e.name === name)!.send(JSON.stringify(body));
      expect(res.status, name).toBe(422);
      const error = assertSpecError(res, name);
      expect(error.code).toBe("validation_failed");
      expect(Object.keys(error.fields ?? {}).sort(), name).toEqual([...fields].sort());
    }
    await targetUnchanged();
  });

  it("unknown fields that try to grant privileges are refused, and no admin is created", async () => {
    const privileged = {
      role: "admin",
      id: "00000000-0000-0000-0000-000000000001",
      disabled: false,
      isAdmin: true,
      passwordHash: "$2b$04$x",
    };
    for (const [key, value] of Object.entries(privileged)) {
      const username = uniqueName("mass");
      const res = await endpoints[0]!.send(JSON.stringify({ username, password: GOOD_PASSWORD, [key]: value }));
      expect(res.status, key).toBe(422);
      expect(assertSpecError(res, key).fields?.[key]).toBeDefined();
      // The name is still free: the refused request created nothing.
      const clean = await app.script().post("/api/auth/register", { username, password: GOOD_PASSWORD });
      expect(clean.status).toBe(201);
      expect(clean.body.user.role).toBe("user");
    }
    const extras: [string, unknown][] = [
      ["login", { username: target.username, password: target.password, role: "admin" }],
      ["refresh", { refresh_token: "x".repeat(43), role: "admin" }],
      ["admin patch", { role: "user", id: "someone-else" }],
      ["admin patch", { disabled: false, username: "renamed" }],
      ["password", { currentPassword: target.password, newPassword: "another long passphrase 77", role: "admin" }],
    ];
    for (const [name, body] of extras) {
      const res = await endpoints.find((e) => e.name === name)!.send(JSON.stringify(body));
      expect(res.status, name).toBe(422);
      assertSpecError(res, name);
    }
    await targetUnchanged();
  });

  it("NUL and other control characters in usernames and passwords → 422", async () => {
    for (const ch of ["\u0000", "\u0001", "\n", "\r", "\t", "\u001b", "\u007f", "\u0085", "\ud800"]) {
      const username = uniqueName("ctl");
      const bad = [
        ["register", { username: `${username}${ch}x`, password: GOOD_PASSWORD }],
        ["register", { username, password: `${GOOD_PASSWORD}${ch}tail` }],
        ["login", { username: `${target.username}${ch}`, password: target.password }],
        ["login", { username: target.username, password: `${target.password}${ch}` }],
        ["password", { currentPassword: target.password, newPassword: `long enough passphrase${ch}here` }],
      ] as const;
      for (const [name, body] of bad) {
        const res = await endpoints.find((e) => e.name === name)!.send(JSON.stringify(body));
        expect(res.status, `${name} ${JSON.stringify(ch)}`).toBe(422);
        assertSpecError(res, name);
      }
      expect((await app.script().post("/api/auth/register", { username, password: GOOD_PASSWORD })).status).toBe(201);
    }
    await targetUnchanged();
  });

  it("__proto__, constructor and prototype keys → 422, and nothing is polluted", async () => {
    const pollutions = [
      '"__proto__":{"role":"admin","isAdmin":true,"disabled":false}',
      '"constructor":{"prototype":{"role":"admin","isAdmin":true}}',
      '"prototype":{"role":"admin"}',
      '"__proto__":{"__proto__":{"role":"admin"}}',
    ];
    for (const pollution of pollutions) {
      const username = uniqueName("proto");
      const bodies: [string, string][] = [
        ["register", `{"username":"${username}","password":"${GOOD_PASSWORD}",${pollution}}`],
        ["login", `{"username":"${target.username}","password":"${target.password}",${pollution}}`],
        ["refresh", `{${pollution}}`],
        ["logout", `{${pollution}}`],
        ["admin patch", `{"disabled":false,${pollution}}`],
        ["password", `{"currentPassword":"${target.password}","newPassword":"another long passphrase 77",${pollution}}`],
      ];
      for (const [name, body] of bodies) {
        const res = await endpoints.find((e) => e.name === name)!.send(body);
        expect(res.status, `${name} ${pollution}`).toBe(422);
        assertSpecError(res, name);
      }
      // A normal request afterwards still works and yields an ordinary user with no admin rights.
      const fresh = await app.script().post("/api/auth/register", { username, password: GOOD_PASSWORD });
      expect(fresh.status).toBe(201);
      expect(fresh.body.user).toEqual({ id: expect.any(String), username, role: "user" });
      const login = await app.script().post("/api/auth/login", { username, password: GOOD_PASSWORD });
      expect(login.body.user.role).toBe("user");
      // Exactly the SPEC's user members: nothing else (no hash, no flags) leaks through a polluted body.
      expect(Object.keys(login.body.user).sort()).toEqual([
        "createdAt",
        "email",
        "emailVerified",
        "id",
        "role",
        "secondFactors",
        "username",
      ]);
      expect((await app.script().get("/api/admin", { bearer: login.body.access_token })).status).toBe(403);
      const patch = await app.script().patch(`/api/admin/users/${fresh.body.user.id}`, {}, { bearer: adminToken });
      expect(patch.status).toBe(422);
    }
    await targetUnchanged();
  });
});
