// SPEC "Failure": when the database is unreachable every authenticated request fails closed with
// 503 and keeps the person's cookies; /api/health says 503; and when the database returns the same
// server process serves the same tokens again. The outage is real: the server reaches PostgreSQL
// through a TCP proxy the test owns (test/support/pg-cluster.ts), so its connections really drop.
// SQLite has no equivalent outage a test can cause here (see docs/decisions/0006).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { Client, GOOD_PASSWORD, type Reply, uniqueName } from "../support/client";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "../support/databases";
import { type DbProxy, type OutageMode, startDbProxy } from "../support/pg-cluster";
import { type RunningServer, startServer } from "../support/server";

// Generous on purpose: not a performance bound, only "it answered instead of hanging". The pg
// pool gives up connecting after 3 s, so a blackholed connection answers in about that.
const ANSWER_WITHIN_MS = 15_000;

async function answers(pending: Promise<Reply>): Promise<Reply> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
  });
  try {
    return await Promise.race([pending, hang]);
  } finally {
    clearTimeout(timer);
  }
}

function expectUnavailable(res: Reply): void {
  expect(res.status, res.text).toBe(503);
  expect(res.body).toMatchObject({ code: "service_unavailable", message: expect.any(String) });
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/); // no stack trace
}

/** Set-Cookie lines that would delete a cookie (empty value or Max-Age<=0). */
function deletions(res: Reply): string[] {
  return res.headers.getSetCookie().filter((line) => /^[^=]+=;|max-age=0|max-age=-/i.test(line));
}

describe.runIf(PROVIDERS.includes("postgresql")).each<OutageMode>(["refuse", "blackhole", "partition"])(
  "PostgreSQL outage (%s)",
  (mode) => {
    let db: TestDatabase | undefined;
    let proxy: DbProxy | undefined;
    let server: RunningServer | undefined;
    let counter = 0;
    const client = (browser = false) => {
      if (!server) throw new Error("server not started");
      counter += 1;
      return new Client(server.url, { browser, headers: { "x-forwarded-for": `10.99.${process.pid & 255}.${counter}` } });
    };

    // One signed-in browser and one signed-in script, from before the outage.
    let username = "";
    let browser: Client;
    let script: Client;
    let bearer = "";
    let bodyRefresh = "";
    let cookiesBefore: Map<string, string>;

    beforeAll(async () => {
      db = await createTestDatabase("postgresql");
      const target = new URL(db.url);
      proxy = await startDbProxy({ host: target.hostname, port: Number(target.port || 5432) });
      server = await startServer({
        databaseUrl: proxy.route(db.url),
        keys: JSON.stringify(await generateKeySet()),
        env: { TRUST_PROXY: "1" },
      });

      username = uniqueName("fc");
      expect((await client().post("/api/auth/register", { username, password: GOOD_PASSWORD })).status).toBe(201);
      browser = client(true);
      expect((await browser.post("/api/auth/login", { username, password: GOOD_PASSWORD })).status).toBe(200);
      script = client();
      const login = await script.post("/api/auth/login", { username, password: GOOD_PASSWORD, token_delivery: "body" });
      expect(login.status).toBe(200);
      bearer = login.body.access_token;
      bodyRefresh = login.body.refresh_token;
      cookiesBefore = new Map([...browser.jar].map(([name, c]) => [name, c.value]));
      expect(cookiesBefore.get("latchkey_at")).toBeTruthy();
      expect(cookiesBefore.get("latchkey_rt")).toBeTruthy();
      await proxy.down(mode);
    }, 120_000);

    afterAll(async () => {
      await proxy?.up();
      await server?.stop();
      await proxy?.close();
      await db?.drop();
    }, 30_000);

    it("health says 503", async () => {
      const res = await answers(client().get("/api/health"));
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: "service_unavailable", message: expect.any(String) });
    });

    it("the API refuses a Bearer token and the access cookie with 503, not 401", async () => {
      const replies = await Promise.all(
        [
          script.get("/api/me", { bearer }),
          script.get("/api/protected", { bearer }),
          browser.get("/api/me"),
          browser.get("/api/sessions"),
        ].map(answers),
      );
      replies.forEach(expectUnavailable);
    });

    it("refresh answers 503 and keeps the cookies", async () => {
      const [res, scripted] = await Promise.all([
        answers(browser.post("/api/auth/refresh")),
        answers(script.post("/api/auth/refresh", { refresh_token: bodyRefresh })),
      ]);
      expectUnavailable(res);
      expect(deletions(res)).toEqual([]);
      expect(browser.cookie("latchkey_at")).toBe(cookiesBefore.get("latchkey_at"));
      expect(browser.cookie("latchkey_rt")).toBe(cookiesBefore.get("latchkey_rt"));
      expectUnavailable(scripted);
    });

    it("the middleware's refresh hop answers 503 instead of sending to /login", async () => {
      const res = await answers(browser.get("/api/auth/refresh?next=%2Fdashboard"));
      expectUnavailable(res);
      expect(res.headers.get("location")).toBeNull();
      expect(deletions(res)).toEqual([]);
    });

    it("login fails closed with 503, not 401", async () => {
      const [res, wrong] = await Promise.all([
        answers(client().post("/api/auth/login", { username, password: GOOD_PASSWORD })),
        answers(client().post("/api/auth/login", { username, password: "not the password at all!" })),
      ]);
      expectUnavailable(res);
      expect(res.headers.get("set-cookie")).toBeNull();
      expectUnavailable(wrong);
    });

    it("logout answers 503 rather than pretending the session ended", async () => {
      const res = await answers(client().post("/api/auth/logout", undefined, { bearer }));
      expectUnavailable(res);
    });

    it("a protected page does not send a signed-in person to /login", async () => {
      const res = await answers(browser.get("/dashboard"));
      // The thrown outage becomes Next's error page, which server.ts reports as 503 (lib/db/outage.ts):
      // closed, without the account's data, and not a sign-out.
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(res.headers.get("location")).toBeNull();
      expect(res.text).not.toContain(username);
      expect(deletions(res)).toEqual([]);
    });

    it("when the database returns, the same process serves the same tokens again", async () => {
      await proxy?.up();
      // The proxy's sockets close at once, but the server hears of it a moment later: poll health
      // (bounded) until the pool has reconnected; after that every request must work first time.
      const deadline = Date.now() + 10_000;
      let health = await answers(client().get("/api/health"));
      while (health.status !== 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        health = await answers(client().get("/api/health"));
      }
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: "ok" });

      expect((await answers(script.get("/api/me", { bearer }))).body.user.username).toBe(username);
      expect((await answers(browser.get("/api/me"))).status).toBe(200);
      expect(browser.cookie("latchkey_rt")).toBe(cookiesBefore.get("latchkey_rt"));
      const refreshed = await answers(browser.post("/api/auth/refresh"));
      expect(refreshed.status).toBe(200);
      expect(browser.cookie("latchkey_rt")).not.toBe(cookiesBefore.get("latchkey_rt"));
      const page = await answers(browser.get("/dashboard"));
      expect(page.status).toBe(200);
      expect(page.text).toContain(username);
      const scripted = await answers(script.post("/api/auth/refresh", { refresh_token: bodyRefresh }));
      expect(scripted.status).toBe(200);
      expect((await answers(client().post("/api/auth/login", { username, password: GOOD_PASSWORD }))).status).toBe(200);
    });
  },
);
