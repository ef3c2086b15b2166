// Two production servers on ONE PostgreSQL database, the way a load balancer would run them: they
// start at the same moment (the migration applier must serialise itself), and sessions, revocation,
// refresh rotation and throttling must behave as one service whichever instance a request reaches.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { Client, GOOD_PASSWORD, uniqueName } from "../support/client";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "../support/databases";
import { freePort, type RunningServer, startServer } from "../support/server";
import { withinOneSecond } from "../support/within";

let addressCounter = 0;
const nextAddress = () => `10.77.${(process.pid >> 8) & 255}.${++addressCounter}`;

describe.runIf(PROVIDERS.includes("postgresql"))("two instances on one PostgreSQL database", () => {
  let db: TestDatabase | undefined;
  let a: RunningServer | undefined;
  let b: RunningServer | undefined;
  let origin = "";

  beforeAll(async () => {
    db = await createTestDatabase("postgresql");
    const keys = JSON.stringify(await generateKeySet());
    const portA = await freePort();
    // freePort() releases the port it found, so two calls can return the same one.
    let portB = await freePort();
    while (portB === portA) portB = await freePort();
    origin = `http://localhost:${portA}`;
    // One public origin for both (they sit behind one hostname); each listens on its own port.
    const env = { TRUST_PROXY: "1", APP_URL: origin };
    [a, b] = await Promise.all([
      startServer({ databaseUrl: db.url, keys, env, port: portA }),
      startServer({ databaseUrl: db.url, keys, env, port: portB }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  }, 30_000);

  const on = (server: RunningServer | undefined, opts: { browser?: boolean; address?: string } = {}) => {
    if (!server) throw new Error("server not started");
    return new Client(server.url, { browser: opts.browser, origin, headers: { "x-forwarded-for": opts.address ?? nextAddress() } });
  };
  /** The same browser (cookie jar and address) talking to the other instance. */
  const sameBrowserOn = (server: RunningServer | undefined, from: Client) => {
    const other = on(server, { browser: true, address: from.opts.headers?.["x-forwarded-for"] });
    for (const [name, cookie] of from.jar) other.jar.set(name, { ...cookie });
    return other;
  };
  const register = async () => {
    const username = uniqueName("mi");
    const res = await on(a).post("/api/auth/register", { username, password: GOOD_PASSWORD });
    expect(res.status).toBe(201);
    return username;
  };

  it("both instances started against one fresh database and applied the migrations once", async () => {
    const out = `${a?.output()}\n${b?.output()}`;
    const applied = out.split("\n").filter((l) => l.includes("applied migration"));
    expect(applied.length).toBeGreaterThan(0);
    expect(new Set(applied).size).toBe(applied.length);
    for (const s of [a, b]) expect((await on(s).get("/api/health")).body).toEqual({ status: "ok" });
  });

  it("a script signs in on A and refreshes on B with its body-delivered token", async () => {
    const username = await register();
    const login = await on(a).post("/api/auth/login", { username, password: GOOD_PASSWORD, token_delivery: "body" });
    expect(login.status).toBe(200);
    const refreshed = await on(b).post("/api/auth/refresh", { refresh_token: login.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(login.body.refresh_token);
    // Tokens minted by either instance are good on both.
    expect((await on(a).get("/api/me", { bearer: refreshed.body.access_token })).body.user.username).toBe(username);
    expect((await on(b).get("/api/me", { bearer: login.body.access_token })).status).toBe(200);
  });

  it("a browser signs in on A and refreshes with its cookie on B", async () => {
    const username = await register();
    const onA = on(a, { browser: true });
    expect((await onA.post("/api/auth/login", { username, password: GOOD_PASSWORD })).status).toBe(200);
    const oldRefresh = onA.cookie("latchkey_rt");
    expect(oldRefresh).toBeTruthy();
    const onB = sameBrowserOn(b, onA);
    const refreshed = await onB.post("/api/auth/refresh");
    expect(refreshed.status).toBe(200);
    expect(onB.cookie("latchkey_rt")).toBeTruthy();
    expect(onB.cookie("latchkey_rt")).not.toBe(oldRefresh);
    expect((await onB.get("/api/me")).body.user.username).toBe(username);
    expect((await sameBrowserOn(a, onB).get("/api/me")).status).toBe(200);
  });

  it("logout on A is felt on B within one second", async () => {
    const username = await register();
    const onA = on(a, { browser: true });
    const login = await onA.post("/api/auth/login", { username, password: GOOD_PASSWORD });
    const token = login.body.access_token as string;
    const onB = sameBrowserOn(b, onA);
    expect((await onB.get("/api/me")).status).toBe(200);
    expect((await on(b).get("/api/protected", { bearer: token })).status).toBe(200);

    expect((await onA.post("/api/auth/logout")).status).toBe(204);
    // The access token is still unexpired: only the shared session row can refuse it. B may have
    // its answer cached, and the commit's NOTIFY empties that cache (ADR 0021) within the second.
    await withinOneSecond(async () => {
      const viaBearer = await on(b).get("/api/protected", { bearer: token });
      expect(viaBearer.status).toBe(401);
      expect(viaBearer.body).toMatchObject({ code: "invalid_token", message: expect.any(String) });
    });
    expect((await onB.get("/api/me")).status).toBe(401);
    expect((await onB.post("/api/auth/refresh")).status).toBe(401);
  });

  it("login throttling counts failures on both instances together", async () => {
    const username = await register();
    const address = nextAddress();
    for (let i = 0; i < 5; i++) {
      const res = await on(i % 2 === 0 ? a : b, { address }).post("/api/auth/login", {
        username,
        password: `wrong password, attempt number ${i}`,
      });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("invalid_credentials");
    }
    for (const server of [a, b]) {
      const res = await on(server, { address }).post("/api/auth/login", { username, password: GOOD_PASSWORD });
      expect(res.status).toBe(429);
      expect(res.body.code).toBe("too_many_attempts");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    // Another address is not affected: the lock belongs to this (address, account) pair.
    expect((await on(b).post("/api/auth/login", { username, password: GOOD_PASSWORD })).status).toBe(200);
  });

  it("one refresh token raced on both instances leaves one live chain", async () => {
    const username = await register();
    const login = await on(a).post("/api/auth/login", { username, password: GOOD_PASSWORD, token_delivery: "body" });
    const presented = login.body.refresh_token as string;
    const racers = [a, b, a, b, a, b, a, b, a, b].map((s) => on(s).post("/api/auth/refresh", { refresh_token: presented }));
    const results = await Promise.all(racers);
    for (const r of results) {
      expect(r.status, r.text).toBe(200);
      expect(r.body.refresh_token).not.toBe(presented);
    }
    // The winner rotated once; every other racer was inside the grace window and got the same token.
    const next = new Set(results.map((r) => r.body.refresh_token as string));
    expect(next.size).toBe(1);
    const [current] = [...next];

    const bearer = results[0]?.body.access_token as string;
    const sessions = await on(b).get("/api/sessions", { bearer });
    expect(sessions.status).toBe(200);
    expect(sessions.body.sessions).toHaveLength(1);

    // No reuse was detected: the chain goes on, from either instance.
    const again = await on(b).post("/api/auth/refresh", { refresh_token: current });
    expect(again.status).toBe(200);
    const third = await on(a).post("/api/auth/refresh", { refresh_token: again.body.refresh_token });
    expect(third.status).toBe(200);
    expect((await on(a).get("/api/me", { bearer: third.body.access_token })).status).toBe(200);
  });
});
