// Attack class 4b: bodies that attack the parser rather than the schema: over 16 KiB (declared,
// undeclared, chunked), malformed JSON, the wrong media type, invalid UTF-8 and deep nesting.
// Each gets a 4xx in the SPEC's shape (never a 5xx, never HTML) and writes nothing.
import { Agent, request } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { HTTP_LAYER_PROVIDER, useApp } from "../support/app";
import { GOOD_PASSWORD, type Reply, uniqueName } from "../support/client";
import { assertSpecError } from "../support/forge";

const LIMIT = 16 * 1024;
let addressCounter = 0;

describe(`parser attacks on request bodies on ${HTTP_LAYER_PROVIDER}`, () => {
  const app = useApp(HTTP_LAYER_PROVIDER, { shared: true });
  let adminToken: string;
  let userToken: string;
  let target: { id: string; username: string; password: string };
  let endpoints: { name: string; method: string; path: string; bearer?: string }[];

  beforeAll(async () => {
    const admin = await app.newUser({ role: "admin" });
    target = await app.newUser();
    adminToken = (await app.script().post("/api/auth/login", { username: admin.username, password: admin.password })).body.access_token;
    userToken = (await app.script().post("/api/auth/login", { username: target.username, password: target.password })).body.access_token;
    endpoints = [
      { name: "register", method: "POST", path: "/api/auth/register" },
      { name: "login", method: "POST", path: "/api/auth/login" },
      { name: "refresh", method: "POST", path: "/api/auth/refresh" },
      { name: "logout", method: "POST", path: "/api/auth/logout" },
      { name: "admin patch", method: "PATCH", path: `/api/admin/users/${target.id}`, bearer: adminToken },
      { name: "password", method: "POST", path: "/api/account/password", bearer: userToken },
    ];
  });

  /**
   * Sends any body over node:http: a string or bytes with a Content-Length, or a list of chunks
   * with Transfer-Encoding: chunked. The reply is taken as soon as it arrives, since the server
   * may answer (413) before the client has finished sending.
   */
  function send(
    e: (typeof endpoints)[number],
    body: string | Uint8Array | string[],
    headers: Record<string, string> = { "content-type": "application/json" },
    agent: Agent | false = false,
  ): Promise<Reply> {
    addressCounter += 1;
    const h: Record<string, string> = { "x-forwarded-for": `10.200.${(addressCounter >> 8) & 255}.${addressCounter & 255}`, ...headers };
    if (e.bearer) h.authorization = `Bearer ${e.bearer}`;
    if (!Array.isArray(body)) h["content-length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
    const url = new URL(app.url);
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = request({ host: url.hostname, port: url.port, method: e.method, path: e.path, headers: h, agent }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") out.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers: out, body: parsed, text });
        });
      });
      req.on("error", (err) => {
        if (!answered) reject(err);
      });
      void (async () => {
        for (const part of Array.isArray(body) ? body : [body]) {
          // Like a real client, stop sending once the server has answered.
          if (answered) break;
          if (!req.write(part)) await new Promise((r) => req.once("drain", r));
          await new Promise((r) => setImmediate(r));
        }
        req.end();
      })().catch(() => undefined);
    });
  }

  const chunked = (text: string, size = 1000): string[] => text.match(new RegExp(`[^]{1,${size}}`, "g")) ?? [];

  /** A JSON object of exactly `size` bytes whose fields are valid for no endpoint. */
  const jsonOfSize = (size: number) => {
    const shell = '{"username":""}';
    return `{"username":"${"a".repeat(size - shell.length)}"}`;
  };

  async function nothingChanged(): Promise<void> {
    const list = await app.script().get(`/api/admin/users?q=${target.username}`, { bearer: adminToken });
    expect(list.body.users).toEqual([expect.objectContaining({ id: target.id, role: "user", disabled: false })]);
    expect((await app.script().get("/api/me", { bearer: userToken })).status).toBe(200);
  }

  it("over 16 KiB → 413 payload_too_large, with a Content-Length, without one (chunked), and at the boundary", async () => {
    for (const e of endpoints) {
      const declared = await send(e, jsonOfSize(LIMIT + 1));
      expect(declared.status, `${e.name} declared`).toBe(413);
      expect(assertSpecError(declared, e.name).code).toBe("payload_too_large");
      const streamed = await send(e, chunked(jsonOfSize(LIMIT * 4)));
      expect(streamed.status, `${e.name} chunked`).toBe(413);
      expect(assertSpecError(streamed, e.name).code).toBe("payload_too_large");
      const big = await send(e, chunked(`{"username":"${"b".repeat(1024 * 1024)}"}`, 64 * 1024));
      expect(big.status, `${e.name} 1 MiB chunked`).toBe(413);
      // Exactly at the limit the body is read and judged on its content instead.
      const atLimit = await send(e, jsonOfSize(LIMIT));
      expect(atLimit.status, `${e.name} at the limit`).not.toBe(413);
      expect(atLimit.status).toBeLessThan(500);
      assertSpecError(atLimit, e.name);
    }
    await nothingChanged();
  });

  it("a 413 does not wedge a kept-alive connection for the request that follows on it", async () => {
    // A pooling client (or a reverse proxy reusing upstream connections) sends its next request on
    // the same socket; the unread rest of the oversized body must not swallow or stall it.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const e of endpoints) {
        for (const oversized of [chunked(jsonOfSize(LIMIT * 4)), jsonOfSize(LIMIT * 4), chunked(jsonOfSize(2 * 1024 * 1024), 64 * 1024)]) {
          // The server may close before the last bytes are written (EPIPE): an early answer is fine.
          const refused: number | string = await send(e, oversized, undefined, agent).then(
            (r) => r.status,
            (err: NodeJS.ErrnoException) => err.code ?? String(err),
          );
          expect([413, "EPIPE", "ECONNRESET"]).toContain(refused);
          const started = Date.now();
          const next = await send(e, "{}", undefined, agent);
          expect(next.status, e.name).not.toBe(413);
          expect(next.status, e.name).toBeLessThan(500);
          expect(Date.now() - started, e.name).toBeLessThan(2000);
        }
      }
    } finally {
      agent.destroy();
    }
  });

  it("malformed JSON → 400 malformed_json", async () => {
    const malformed = [
      '{"username":',
      "{'username':'x'}",
      '{"username":"x",}',
      "{username:1}",
      "NaN",
      "undefined",
      '{"a":1}{"b":2}',
      "\u0000",
      "{]",
    ];
    for (const e of endpoints) {
      for (const body of malformed) {
        const res = await send(e, body);
        expect(res.status, `${e.name} ${JSON.stringify(body)}`).toBe(400);
        expect(assertSpecError(res, e.name).code).toBe("malformed_json");
      }
    }
    await nothingChanged();
  });

  it("text/plain, form-encoded, multipart and missing content types → 415", async () => {
    const username = uniqueName("mt");
    const json = JSON.stringify({ username, password: GOOD_PASSWORD });
    const types: [string, string | undefined][] = [
      [json, "text/plain"],
      [json, "text/plain;charset=UTF-8"],
      [`username=${username}&password=${encodeURIComponent(GOOD_PASSWORD)}`, "application/x-www-form-urlencoded"],
      [`--b\r\nContent-Disposition: form-data; name="username"\r\n\r\n${username}\r\n--b--\r\n`, "multipart/form-data; boundary=b"],
      [json, "application/jsonx"],
      [json, "text/json"],
      [json, undefined],
    ];
    for (const e of endpoints) {
      for (const [body, type] of types) {
        const res = await send(e, body, type ? { "content-type": type } : {});
        expect(res.status, `${e.name} ${type}`).toBe(415);
        expect(assertSpecError(res, e.name).code).toBe("unsupported_media_type");
      }
    }
    // None of the registrations went through.
    expect((await app.script().post("/api/auth/register", { username, password: GOOD_PASSWORD })).status).toBe(201);
    await nothingChanged();
  });

  it("invalid UTF-8 → 400, and overlong or surrogate encodings are not decoded into something else", async () => {
    const prefix = new TextEncoder().encode('{"username":"');
    const suffix = new TextEncoder().encode(`","password":"${GOOD_PASSWORD}"}`);
    const invalid = [[0xff], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc3]];
    for (const e of endpoints) {
      for (const bytes of invalid) {
        const body = new Uint8Array([...prefix, 0x61, 0x62, 0x63, ...bytes, ...suffix]);
        const res = await send(e, body);
        expect(res.status, `${e.name} ${bytes}`).toBe(400);
        assertSpecError(res, e.name);
      }
    }
    await nothingChanged();
  });

  it("deeply nested JSON (10,000 levels) → 4xx, never a 5xx", async () => {
    const nested = (depth: number, open: string, close: string) => `{"username":${open.repeat(depth)}1${close.repeat(depth)}}`;
    const bodies = [
      nested(10_000, "[", "]"),
      nested(10_000, '{"a":', "}"),
      nested(8_000, "[", "]"),
      `${"[".repeat(8_000)}${"]".repeat(8_000)}`,
    ];
    for (const e of endpoints) {
      for (const body of bodies) {
        const res = await send(e, body);
        expect(res.status, e.name).toBeGreaterThanOrEqual(400);
        expect(res.status, e.name).toBeLessThan(500);
        assertSpecError(res, e.name);
      }
      const streamed = await send(e, chunked(nested(10_000, "[", "]")));
      expect(streamed.status).toBeLessThan(500);
    }
    // The server is still healthy and answers normally.
    expect((await app.script().get("/api/health")).status).toBe(200);
    await nothingChanged();
  });
});
