// Revocation against the auth caches (docs/decisions/0021-auth-caches.md), as an attacker who kept
// an unexpired access token would try it: several production servers on one database (three on
// PostgreSQL, two processes on one SQLite file), the token used on B and C first so their caches
// hold it, then the session ended or the account changed through A (or the command line, another
// process). B and C must refuse within one second (SPEC "Revocation"), whatever they cached.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { runCli } from "../support/cli";
import { Client, GOOD_PASSWORD, uniqueName } from "../support/client";
import { createTestDatabase, PROVIDERS, type Provider, type TestDatabase } from "../support/databases";
import { freePort, type RunningServer, startServer } from "../support/server";
import { withinOneSecond } from "../support/within";

/** Retries `check` for one second after the revocation answered, then fails with its last error. */

let addressCounter = 0;
const nextAddress = () => `10.78.${(process.pid >> 8) & 255}.${++addressCounter % 250}`;

describe.each(PROVIDERS)("revocation reaches every instance's cache on %s", (provider: Provider) => {
  let db: TestDatabase | undefined;
  let keys = "";
  let servers: RunningServer[] = [];
  let origin = "";

  beforeAll(async () => {
    db = await createTestDatabase(provider);
    keys = JSON.stringify(await generateKeySet());
    const count = provider === "postgresql" ? 3 : 2;
    const ports: number[] = [];
    while (ports.length < count) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    origin = `http://localhost:${ports[0]}`;
    const env = { TRUST_PROXY: "1", APP_URL: origin };
    const url = db.url;
    // The first applies the migrations; the others then start against the migrated database.
    servers = [await startServer({ databaseUrl: url, keys, env, port: ports[0] })];
    servers.push(...(await Promise.all(ports.slice(1).map((port) => startServer({ databaseUrl: url, keys, env, port })))));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.drop();
  }, 30_000);

  const a = () => servers[0] as RunningServer;
  const others = () => servers.slice(1);
  const script = (server: RunningServer) => new Client(server.url, { origin, headers: { "x-forwarded-for": nextAddress() } });

  async function newUser(role: "user" | "admin" = "user") {
    const username = uniqueName("rc");
    const res = await script(a()).post("/api/auth/register", { username, password: GOOD_PASSWORD });
    expect(res.status).toBe(201);
    if (role === "admin") {
      const cli = await runCli({ db: { url: db?.url ?? "" }, keys }, ["set-role", username, "admin"]);
      expect(cli.code, cli.stderr).toBe(0);
    }
    return { username, id: res.body.user.id as string };
  }

  async function signIn(username: string): Promise<string> {
    const res = await script(a()).post("/api/auth/login", { username, password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    return res.body.access_token as string;
  }

  /** The token is used on every other instance, several times, so each has it cached. */
  async function warm(token: string, path = "/api/protected"): Promise<void> {
    for (const server of others()) {
      for (let i = 0; i < 3; i++) expect((await script(server).get(path, { bearer: token })).status).toBe(200);
    }
  }

  async function refusedEverywhere(token: string, path = "/api/protected", status = 401): Promise<void> {
    await withinOneSecond(async () => {
      for (const server of others()) {
        const res = await script(server).get(path, { bearer: token });
        expect(res.status).toBe(status);
        expect(res.body).toMatchObject({ code: status === 401 ? "invalid_token" : "forbidden" });
      }
    });
  }

  async function acceptedEverywhere(token: string, path = "/api/protected"): Promise<void> {
    for (const server of servers) expect((await script(server).get(path, { bearer: token })).status).toBe(200);
  }

  it("logout on A: the session's token is refused on the others; the person's other session is not", async () => {
    const { username } = await newUser();
    const [token, other] = [await signIn(username), await signIn(username)];
    await warm(token);
    await warm(other);
    expect((await script(a()).post("/api/auth/logout", undefined, { bearer: token })).status).toBe(204);
    await refusedEverywhere(token);
    await acceptedEverywhere(other);
  });

  it("logout everywhere, and ending the other sessions, on A", async () => {
    const { username } = await newUser();
    const [kept, ended] = [await signIn(username), await signIn(username)];
    await warm(kept);
    await warm(ended);
    expect((await script(a()).delete("/api/sessions", { bearer: kept })).status).toBe(204);
    await refusedEverywhere(ended);
    await acceptedEverywhere(kept);

    expect((await script(a()).post("/api/auth/logout", { everywhere: true }, { bearer: kept })).status).toBe(204);
    await refusedEverywhere(kept);
  });

  it("a password change on A ends the other sessions on every instance", async () => {
    const { username } = await newUser();
    const [changer, victim] = [await signIn(username), await signIn(username)];
    await warm(victim);
    const res = await script(a()).post(
      "/api/account/password",
      { currentPassword: GOOD_PASSWORD, newPassword: `${GOOD_PASSWORD} renewed` },
      { bearer: changer },
    );
    expect(res.status).toBe(204);
    await refusedEverywhere(victim);
  });

  it("an admin's revoke-sessions, disable and delete on A", async () => {
    const admin = await signIn((await newUser("admin")).username);
    const revoked = await newUser();
    const disabled = await newUser();
    const deleted = await newUser();
    const tokens = {
      revoked: await signIn(revoked.username),
      disabled: await signIn(disabled.username),
      deleted: await signIn(deleted.username),
    };
    for (const token of Object.values(tokens)) await warm(token);
    const api = script(a());

    expect((await api.post(`/api/admin/users/${revoked.id}/revoke-sessions`, undefined, { bearer: admin })).status).toBe(204);
    await refusedEverywhere(tokens.revoked);
    expect((await api.patch(`/api/admin/users/${disabled.id}`, { disabled: true }, { bearer: admin })).status).toBe(200);
    await refusedEverywhere(tokens.disabled);
    expect((await api.delete(`/api/admin/users/${deleted.id}`, { bearer: admin })).status).toBe(204);
    await refusedEverywhere(tokens.deleted);
    await acceptedEverywhere(admin, "/api/admin");
  });

  it("a demotion on A takes /api/admin away on every instance, and /api/me shows it", async () => {
    const admin = await signIn((await newUser("admin")).username);
    const target = await newUser("admin");
    const token = await signIn(target.username);
    await warm(token, "/api/admin");
    expect((await script(a()).patch(`/api/admin/users/${target.id}`, { role: "user" }, { bearer: admin })).status).toBe(200);
    await refusedEverywhere(token, "/api/admin", 403);
    for (const server of others()) expect((await script(server).get("/api/me", { bearer: token })).body.user.role).toBe("user");
  });

  it("an impersonation ends on every instance when it is stopped, and when its admin is demoted", async () => {
    const demoter = await signIn((await newUser("admin")).username);
    const admin = await newUser("admin");
    const target = await newUser();
    const impersonate = async (bearer: string) => {
      const res = await script(a()).post(`/api/admin/users/${target.id}/impersonate`, undefined, { bearer });
      expect(res.status, res.text).toBe(200);
      return res.body.access_token as string;
    };
    const own = await signIn(admin.username);
    const stopped = await impersonate(own);
    await warm(stopped, "/api/me");
    expect((await script(a()).post("/api/auth/impersonation/stop", undefined, { bearer: stopped })).status).toBe(204);
    await refusedEverywhere(stopped, "/api/me");

    const acting = await impersonate(await signIn(admin.username));
    await warm(acting, "/api/me");
    expect((await script(a()).patch(`/api/admin/users/${admin.id}`, { role: "user" }, { bearer: demoter })).status).toBe(200);
    await refusedEverywhere(acting, "/api/me");
  });

  it("a role change from the command line (another process) reaches every instance, both ways", async () => {
    const person = await newUser();
    const token = await signIn(person.username);
    await warm(token, "/api/me");
    for (const server of others()) expect((await script(server).get("/api/admin", { bearer: token })).status).toBe(403);

    const promoted = await runCli({ db: { url: db?.url ?? "" }, keys }, ["set-role", person.username, "admin"]);
    expect(promoted.code, promoted.stderr).toBe(0);
    await withinOneSecond(async () => {
      for (const server of others()) expect((await script(server).get("/api/admin", { bearer: token })).status).toBe(200);
    });
    const demoted = await runCli({ db: { url: db?.url ?? "" }, keys }, ["set-role", person.username, "user"]);
    expect(demoted.code, demoted.stderr).toBe(0);
    await refusedEverywhere(token, "/api/admin", 403);
  });

  it("a token altered after being cached is still refused: the cache is keyed by the whole token", async () => {
    const { username } = await newUser();
    const token = await signIn(username);
    await warm(token);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: "admin" })).toString("base64url");
    for (const forged of [`${header}.${payload}.${flipped}`, `${header}.${promoted}.${signature}`, `${token} `.trim().slice(0, -1)]) {
      for (const server of servers) {
        const res = await script(server).get("/api/protected", { bearer: forged });
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ code: "invalid_token" });
      }
    }
  });
});
