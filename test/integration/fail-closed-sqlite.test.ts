// SPEC "Failure" on the embedded database. A SQLite file cannot become "unreachable" the way a
// server can, and permissions cannot take it away from a root test run (root ignores them), so the
// real outage here is another process holding the write lock (a backup, a long migration, a
// stuck CLI): writes wait out the 5 s busy timeout and must then fail closed with 503, keep the
// person's cookies, and work again once the lock is gone, in the same server process.
// better-sqlite3 waits synchronously, so the whole server stalls meanwhile (docs/decisions/0006);
// requests during the lock therefore use fresh connections: a kept-alive socket whose idle timer
// expired during the stall would be reset by the server when it wakes up.
import { request } from "node:http";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDbUrl } from "@/lib/db/url";
import { useApp } from "../support/app";
import type { Client } from "../support/client";
import { PROVIDERS } from "../support/databases";

type Raw = { status: number; setCookie: string[]; body: any };

function send(base: string, method: string, path: string, opts: { headers?: Record<string, string>; json?: unknown } = {}): Promise<Raw> {
  const body = opts.json === undefined ? undefined : JSON.stringify(opts.json);
  const headers = { ...opts.headers, ...(body ? { "content-type": "application/json" } : {}) };
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, setCookie: res.headers["set-cookie"] ?? [], body: text ? JSON.parse(text) : undefined }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

function expectUnavailable(res: Raw): void {
  expect(res.status, JSON.stringify(res.body)).toBe(503);
  expect(res.body).toMatchObject({ code: "service_unavailable", message: expect.any(String) });
  expect(res.setCookie).toEqual([]);
}

describe.runIf(PROVIDERS.includes("sqlite"))("SQLite write lock held by another process", () => {
  const app = useApp("sqlite");
  let browser: Client;
  let bearer = "";
  let bodyRefresh = "";
  let user: { username: string; password: string };
  let lock: Database.Database | undefined;

  beforeAll(async () => {
    const { username, password } = await app.newUser();
    user = { username, password };
    browser = app.browser();
    expect((await browser.post("/api/auth/login", user)).status).toBe(200);
    const login = await app.script().post("/api/auth/login", { ...user, token_delivery: "body" });
    bearer = login.body.access_token;
    bodyRefresh = login.body.refresh_token;
  });

  afterAll(() => {
    if (lock?.inTransaction) lock.exec("ROLLBACK");
    lock?.close();
  });

  it("writes answer 503 and keep the cookies; reads are not refused; all recovers when the lock goes", async () => {
    const target = parseDbUrl(app.db.url);
    if (target.provider !== "sqlite") throw new Error("expected a SQLite database");
    const refreshCookie = browser.cookie("latchkey_rt");
    const origin = new URL(app.url).origin;
    const address = () => ({ "x-forwarded-for": `10.98.${process.pid & 255}.${Math.floor(Math.random() * 250) + 1}` });
    lock = new Database(target.file);
    lock.exec("BEGIN IMMEDIATE");

    const [cookieRefresh, bodyRefreshed, login, me] = await Promise.all([
      send(app.url, "POST", "/api/auth/refresh", { headers: { ...address(), origin, cookie: `latchkey_rt=${refreshCookie}` } }),
      send(app.url, "POST", "/api/auth/refresh", { headers: address(), json: { refresh_token: bodyRefresh } }),
      send(app.url, "POST", "/api/auth/login", { headers: address(), json: user }),
      send(app.url, "GET", "/api/me", { headers: { ...address(), authorization: `Bearer ${bearer}` } }),
    ]);
    expectUnavailable(cookieRefresh);
    expectUnavailable(bodyRefreshed);
    expectUnavailable(login);
    expect(me.status).toBe(200);

    lock.exec("ROLLBACK");
    lock.close();
    lock = undefined;

    // Nothing was half-done: the same cookie and the same body token still rotate, once each.
    const again = await browser.post("/api/auth/refresh");
    expect(again.status).toBe(200);
    expect(browser.cookie("latchkey_rt")).not.toBe(refreshCookie);
    expect((await app.script().post("/api/auth/refresh", { refresh_token: bodyRefresh })).status).toBe(200);
    expect((await app.script().get("/api/me", { bearer })).status).toBe(200);
    expect((await app.script().post("/api/auth/login", user)).status).toBe(200);
  });
});
