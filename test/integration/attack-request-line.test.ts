// Attack class 7b: what arrives on the wire before any route sees it. TRACE reached Next's adapter,
// which throws (a 500 and a stack trace in the log); TRACK was refused by Node's parser with a bare
// 400; CONNECT had its connection dropped without an answer; and of several Authorization headers
// Node kept the first, so the token served was not the whole story of what was sent. fetch()
// refuses to send any of these, so they go out over a raw socket exactly as an attacker writes them.
// Also: every spelling of one client address is recorded as one canonical address.
// None of this depends on the database, so it runs on SQLite only.
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { useApp } from "../support/app";

type RawReply = { status: number; headers: Map<string, string>; text: string; body: unknown };

const METHOD_NOT_ALLOWED = { code: "method_not_allowed", message: "This method is not allowed here." };
const SEVERAL_AUTHORIZATIONS = { code: "bad_request", message: "Send at most one Authorization header." };
const WRONG = "definitely not the password";

/** Sends `lines` as the request head and reads until the server closes the connection. */
function raw(port: number, lines: string[]): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.setTimeout(15_000, () => socket.destroy(new Error("no answer within 15 s")));
    socket.on("connect", () => socket.write(`${lines.join("\r\n")}\r\n\r\n`));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      try {
        resolve(parse(Buffer.concat(chunks).toString("latin1")));
      } catch (e) {
        reject(e);
      }
    });
  });
}

// latin1 keeps one character per byte, so chunk sizes can be counted in characters.
function parse(response: string): RawReply {
  const end = response.indexOf("\r\n\r\n");
  if (end === -1) throw new Error(`no complete response head: ${JSON.stringify(response)}`);
  const [statusLine = "", ...fields] = response.slice(0, end).split("\r\n");
  const headers = new Map<string, string>();
  for (const field of fields) {
    const colon = field.indexOf(":");
    const name = field.slice(0, colon).trim().toLowerCase();
    const value = field.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  let body = response.slice(end + 4);
  if (headers.get("transfer-encoding")?.toLowerCase() === "chunked") body = dechunk(body);
  const text = Buffer.from(body, "latin1").toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: Number(statusLine.split(" ")[1]), headers, text, body: json };
}

function dechunk(body: string): string {
  let out = "";
  for (let i = 0; ; ) {
    const eol = body.indexOf("\r\n", i);
    const size = Number.parseInt(body.slice(i, eol), 16);
    if (!size) return out;
    out += body.slice(eol + 2, eol + 2 + size);
    i = eol + 2 + size + 2;
  }
}

function expectJsonRefusal(res: RawReply, status: number, body: unknown, label: string): void {
  expect(res.status, label).toBe(status);
  expect(res.body, label).toEqual(body);
  expect(res.headers.get("content-type"), label).toBe("application/json");
  expect(res.headers.get("cache-control") ?? "", label).toMatch(/\bno-store\b/);
}

describe("request lines and headers Next must never see (sqlite)", () => {
  const app = useApp("sqlite");
  const head = (requestLine: string, ...fields: string[]) => [
    requestLine,
    `Host: 127.0.0.1:${app.server.port}`,
    ...fields,
    "Connection: close",
  ];

  async function bearerFor(user: { username: string; password: string }): Promise<string> {
    const login = await app.script().post("/api/auth/login", { username: user.username, password: user.password });
    expect(login.status).toBe(200);
    return login.body.access_token as string;
  }

  it("TRACE, TRACK and CONNECT on any path answer 405 JSON, with nothing logged", async () => {
    const logged = app.server.output().length;
    const requests: [string, string[]][] = [
      ["TRACE /api/health", head("TRACE /api/health HTTP/1.1")],
      ["TRACE /login", head("TRACE /login HTTP/1.1")],
      ["TRACE /api/me with a Bearer", head("TRACE /api/me HTTP/1.1", "Authorization: Bearer garbage")],
      ["TRACK /api/health", head("TRACK /api/health HTTP/1.1")],
      ["TRACK /login", head("TRACK /login HTTP/1.1")],
      ["CONNECT host:port", head("CONNECT example.com:443 HTTP/1.1")],
      ["CONNECT /api/health", head("CONNECT /api/health HTTP/1.1")],
    ];
    for (const [label, lines] of requests) expectJsonRefusal(await raw(app.server.port, lines), 405, METHOD_NOT_ALLOWED, label);
    expect(app.server.output().slice(logged)).not.toMatch(/error|\n\s+at\s/i);
    // The server is still answering normally afterwards.
    expect((await app.script().get("/api/health")).status).toBe(200);
  });

  it("two Authorization headers, in either order and any case, answer 400 and serve nobody", async () => {
    const user = await app.newUser();
    const token = await bearerFor(user);
    const variants: [string, string, string][] = [
      ["valid first", `Authorization: Bearer ${token}`, "Authorization: Bearer garbage"],
      ["garbage first", "Authorization: Bearer garbage", `Authorization: Bearer ${token}`],
      ["names in different case", `authorization: Bearer ${token}`, "AUTHORIZATION: Bearer garbage"],
      ["the same token twice", `Authorization: Bearer ${token}`, `Authorization: Bearer ${token}`],
      ["an empty second header", `Authorization: Bearer ${token}`, "Authorization:"],
    ];
    for (const [label, first, second] of variants) {
      const res = await raw(app.server.port, head("GET /api/me HTTP/1.1", first, second));
      expectJsonRefusal(res, 400, SEVERAL_AUTHORIZATIONS, label);
      expect(res.text, label).not.toContain(user.username);
    }
  });

  it("a single Bearer header is still served (200 with the user)", async () => {
    const user = await app.newUser();
    const token = await bearerFor(user);
    const res = await raw(app.server.port, head("GET /api/me HTTP/1.1", `Authorization: Bearer ${token}`));
    expect(res.status).toBe(200);
    expect((res.body as { user: { username: string } }).user.username).toBe(user.username);
    expect((await raw(app.server.port, head("GET /api/me HTTP/1.1", "Authorization: Bearer garbage"))).status).toBe(401);
  });

  it("every spelling of one address is recorded as its canonical form (sessions list)", async () => {
    const user = await app.newUser();
    const cases: [string, string][] = [
      ["::ffff:0a5d:1754", "10.93.23.84"],
      ["::FFFF:10.93.23.84", "10.93.23.84"],
      ["0:0:0:0:0:ffff:a5d:1754", "10.93.23.84"],
      ["10.93.23.84", "10.93.23.84"],
      ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ];
    for (const [sent, recorded] of cases) {
      const login = await app.script({ address: sent }).post("/api/auth/login", { username: user.username, password: user.password });
      expect(login.status, sent).toBe(200);
      const sessions = await app.script().get("/api/sessions", { bearer: login.body.access_token });
      const current = (sessions.body.sessions as { address: string | null; current: boolean }[]).find((s) => s.current);
      expect(current?.address, sent).toBe(recorded);
    }
  });

  it("the login throttle counts ::ffff:0a5d:1754, ::FFFF:10.93.23.84 and 10.93.23.84 as one address", async () => {
    const user = await app.newUser();
    const spellings = ["::ffff:0a5d:1754", "::FFFF:10.93.23.84", "0:0:0:0:0:ffff:a5d:1754", "::ffff:0a5d:1754", "10.93.23.84"];
    for (const address of spellings) {
      const res = await app.script({ address }).post("/api/auth/login", { username: user.username, password: WRONG });
      expect(res.status, address).toBe(401);
    }
    const right = { username: user.username, password: user.password };
    const locked = await app.script({ address: "::ffff:10.93.23.84" }).post("/api/auth/login", right);
    expect(locked.status).toBe(429);
    // The lock is on that address only: the owner elsewhere signs in.
    expect((await app.script().post("/api/auth/login", right)).status).toBe(200);
  });
});
