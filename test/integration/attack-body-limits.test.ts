// Attack class 4b: bodies that attack the parser rather than the schema: over 16 KiB (declared,
// undeclared, chunked), malformed JSON, the wrong media type, invalid UTF-8 and deep nesting.
// Each gets a 4xx in the SPEC's shape (never a 5xx, never HTML) and writes nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { useApp } from "../support/app";
import { GOOD_PASSWORD, uniqueName, type Reply } from "../support/client";
import { PROVIDERS } from "../support/databases";
import { assertSpecError } from "../support/forge";

const LIMIT = 16 * 1024;
let addressCounter = 0;

describe.each(PROVIDERS)("parser attacks on request bodies on %s", (provider) => {
  const app = useApp(provider);
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

  /** fetch with any body (string, bytes or a stream, which goes out chunked with no Content-Length). */
  async function send(e: (typeof endpoints)[number], body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }): Promise<Reply> {
    addressCounter += 1;
    const h: Record<string, string> = { "x-forwarded-for": `10.200.${(addressCounter >> 8) & 255}.${addressCounter & 255}`, ...headers };
    if (e.bearer) h.authorization = `Bearer ${e.bearer}`;
    const init: RequestInit & { duplex?: "half" } = { method: e.method, headers: h, body, redirect: "manual" };
    if (body instanceof ReadableStream) init.duplex = "half";
    const res = await fetch(`${app.url}${e.path}`, init);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  function chunked(text: string, chunkSize = 1000): ReadableStream<Uint8Array> {
    const bytes = new TextEncoder().encode(text);
    let offset = 0;
    return new ReadableStream({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + chunkSize));
        offset += chunkSize;
      },
    });
  }

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

  it("malformed JSON → 400 malformed_json", async () => {
    const malformed = ['{"username":', "{'username':'x'}", '{"username":"x",}', "{username:1}", "NaN", "undefined", '{"a":1}{"b":2}', "\u0000", "{]"];
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
        const res = await send(e, new TextEncoder().encode(body), type ? { "content-type": type } : {});
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
    const bodies = [nested(10_000, "[", "]"), nested(10_000, '{"a":', "}"), nested(8_000, "[", "]"), `${"[".repeat(8_000)}${"]".repeat(8_000)}`];
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
