// A plain node:http server whose handler calls refuseUnservable first, as server.ts does, driven
// over raw sockets: fetch() refuses to send TRACE, TRACK or CONNECT and merges repeated headers.
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refuseConnect, refuseUnparsed, refuseUnservable } from "./request-guard";

type RawReply = { status: number; headers: Map<string, string>; text: string; body: unknown };

const METHOD_NOT_ALLOWED = { code: "method_not_allowed", message: "This method is not allowed here." };
const SEVERAL_AUTHORIZATIONS = { code: "bad_request", message: "Send at most one Authorization header." };

let server: Server;
let port = 0;
let served = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (refuseUnservable(req, res)) return;
    served += 1;
    const body = `served ${req.method} ${req.headers.authorization ?? "-"}`;
    res.writeHead(200, { "content-type": "text/plain", "content-length": Buffer.byteLength(body) });
    res.end(body);
  })
    .on("connect", refuseConnect)
    .on("clientError", refuseUnparsed);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Writes `request` as is and reads until the server closes the connection. */
function raw(request: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error("the server neither answered nor closed within 5 s")));
    socket.on("connect", () => socket.write(request));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      try {
        resolve(parse(Buffer.concat(chunks).toString("utf8")));
      } catch (e) {
        reject(e);
      }
    });
  });
}

function parse(response: string): RawReply {
  const end = response.indexOf("\r\n\r\n");
  if (end === -1) throw new Error(`no complete response head: ${JSON.stringify(response)}`);
  const [statusLine = "", ...fields] = response.slice(0, end).split("\r\n");
  const headers = new Map<string, string>();
  for (const field of fields) {
    const colon = field.indexOf(":");
    headers.set(field.slice(0, colon).trim().toLowerCase(), field.slice(colon + 1).trim());
  }
  const text = response.slice(end + 4);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: Number(statusLine.split(" ")[1]), headers, text, body };
}

const request = (requestLine: string, ...fields: string[]) => [requestLine, "Host: 127.0.0.1", ...fields, "", ""].join("\r\n");

function expectJsonRefusal(res: RawReply, status: number, body: unknown, label: string): void {
  expect(res.status, label).toBe(status);
  expect(res.body, label).toEqual(body);
  expect(res.headers.get("content-type"), label).toBe("application/json");
  expect(res.headers.get("cache-control"), label).toBe("no-store");
  expect(res.headers.get("x-content-type-options"), label).toBe("nosniff");
  expect(res.headers.get("content-length"), label).toBe(String(Buffer.byteLength(res.text)));
}

describe("refuseUnservable", () => {
  it("lets ordinary requests through, with or without one Authorization header", async () => {
    const plain = await raw(request("GET /api/health HTTP/1.1", "Connection: close"));
    expect(plain.status).toBe(200);
    expect(plain.text).toBe("served GET -");
    const bearer = await raw(request("GET /api/me HTTP/1.1", "Authorization: Bearer abc", "Connection: close"));
    expect(bearer.status).toBe(200);
    expect(bearer.text).toBe("served GET Bearer abc");
    const post = await raw(`${request("POST /api/auth/login HTTP/1.1", "Content-Length: 2", "Connection: close")}{}`);
    expect(post.status).toBe(200);
    expect((await raw(request("OPTIONS * HTTP/1.1", "Connection: close"))).status).toBe(200);
  });

  it("answers TRACE with 405 JSON on any path and never calls the handler", async () => {
    const before = served;
    for (const path of ["/", "/api/health", "/login", "/api/me?x=1"]) {
      expectJsonRefusal(await raw(request(`TRACE ${path} HTTP/1.1`)), 405, METHOD_NOT_ALLOWED, `TRACE ${path}`);
    }
    const withBody = await raw(`${request("TRACE /api/me HTTP/1.1", "Authorization: Bearer abc", "Content-Length: 5")}hello`);
    expectJsonRefusal(withBody, 405, METHOD_NOT_ALLOWED, "TRACE with a body");
    expect(withBody.text).not.toContain("Bearer");
    expect(served).toBe(before);
  });

  it("answers TRACK (which Node's parser rejects before any handler) with 405 JSON", async () => {
    for (const path of ["/", "/api/health"]) {
      expectJsonRefusal(await raw(request(`TRACK ${path} HTTP/1.1`)), 405, METHOD_NOT_ALLOWED, `TRACK ${path}`);
    }
  });

  it("answers CONNECT (Node's 'connect' event) with 405 JSON and closes the connection", async () => {
    for (const target of ["example.com:443", "127.0.0.1:22", "/api/health"]) {
      expectJsonRefusal(await raw(request(`CONNECT ${target} HTTP/1.1`)), 405, METHOD_NOT_ALLOWED, `CONNECT ${target}`);
    }
    // Bytes sent after the CONNECT head are never tunnelled anywhere.
    const tunnelled = await raw(`${request("CONNECT example.com:80 HTTP/1.1")}GET / HTTP/1.1\r\nHost: example.com\r\n\r\n`);
    expectJsonRefusal(tunnelled, 405, METHOD_NOT_ALLOWED, "CONNECT followed by a request");
  });

  it("answers 400 JSON to more than one Authorization header, whatever their case, order or values", async () => {
    const before = served;
    const variants: [string, string[]][] = [
      ["valid first", ["Authorization: Bearer valid", "Authorization: Bearer garbage"]],
      ["garbage first", ["Authorization: Bearer garbage", "Authorization: Bearer valid"]],
      ["different case", ["authorization: Bearer valid", "AUTHORIZATION: Bearer garbage"]],
      ["same value twice", ["Authorization: Bearer valid", "Authorization: Bearer valid"]],
      ["an empty second", ["Authorization: Bearer valid", "Authorization:"]],
      ["three, apart", ["Authorization: Basic dTpw", "Accept: */*", "Authorization: Bearer a", "Authorization: Bearer b"]],
    ];
    for (const [label, fields] of variants) {
      const res = await raw(request("GET /api/me HTTP/1.1", ...fields));
      expectJsonRefusal(res, 400, SEVERAL_AUTHORIZATIONS, label);
    }
    expect(served).toBe(before);
  });

  it("closes the connection after a refusal even when the client asked to keep it alive", async () => {
    const res = await raw(request("TRACE / HTTP/1.1", "Connection: keep-alive") + request("GET / HTTP/1.1"));
    expectJsonRefusal(res, 405, METHOD_NOT_ALLOWED, "pipelined after TRACE");
    expect(res.headers.get("connection")).toBe("close");
  });
});

describe("refuseUnparsed keeps Node's answers to other malformed requests", () => {
  it.each([
    ["an unknown method", 400, request("FOO / HTTP/1.1")],
    ["a lower-case trace", 400, request("trace / HTTP/1.1")],
    ["a method that starts like TRACK", 400, request("TRACKS / HTTP/1.1")],
    ["a header line without a colon", 400, request("GET / HTTP/1.1", "no colon here")],
    ["headers over Node's limit", 431, request("GET / HTTP/1.1", `X-Big: ${"a".repeat(20_000)}`)],
  ])("%s → %d without a body", async (_label, status, sent) => {
    const res = await raw(sent);
    expect(res.status).toBe(status);
    expect(res.text).toBe("");
  });
});
