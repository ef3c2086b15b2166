// Requests refused before Next.js sees them. Dependency-free on purpose: server.ts runs this on
// every request, ahead of the security headers and the Next handler.
//  - TRACE reaches Next's adapter, which throws on it: a 500 and a stack trace in the log. TRACK is
//    not a method Node's parser knows (it is refused as a client error before any handler), and
//    CONNECT is handed to the server's 'connect' event instead of 'request'. All three are 405.
//  - Node keeps only the first of several Authorization headers, so "Bearer <valid>" followed by
//    "Bearer garbage" was served as the valid user while a proxy or log in front may have judged
//    the request by the other one. A request that says two things about who it is gets 400.
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

const REFUSED_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);
const METHOD_NOT_ALLOWED = { code: "method_not_allowed", message: "This method is not allowed here." };
const SEVERAL_AUTHORIZATIONS = { code: "bad_request", message: "Send at most one Authorization header." };
// How long a refused raw socket may stay half-open waiting for the client to hang up.
const LINGER_MS = 5_000;

/** True when it has answered the request itself; the caller must then leave `res` alone. */
export function refuseUnservable(req: IncomingMessage, res: ServerResponse): boolean {
  if (REFUSED_METHODS.has(req.method ?? "")) return refuse(res, 405, METHOD_NOT_ALLOWED);
  if (authorizationCount(req.rawHeaders) > 1) return refuse(res, 400, SEVERAL_AUTHORIZATIONS);
  return false;
}

/** For the server's 'connect' event: nothing is tunnelled; the client gets a 405 and the connection ends. */
export function refuseConnect(_req: IncomingMessage, socket: Duplex): void {
  answerAndClose(socket, 405, METHOD_NOT_ALLOWED);
}

/**
 * For the server's 'clientError' event. Listening to it replaces Node's own answer to every request
 * its parser rejects, so everything except TRACK gets exactly what Node would have sent.
 */
export function refuseUnparsed(err: Error, socket: Duplex): void {
  if (socket.destroyed || socket.writableEnded) return;
  // Never write into the middle of a response already under way on this connection.
  if (!socket.writable || responseUnderWay(socket)) {
    socket.destroy();
    return;
  }
  const { code, rawPacket } = err as Error & { code?: unknown; rawPacket?: unknown };
  if (code === "HPE_INVALID_METHOD" && Buffer.isBuffer(rawPacket) && /^TRACK[ \t]/.test(rawPacket.toString("latin1", 0, 6))) {
    answerAndClose(socket, 405, METHOD_NOT_ALLOWED);
    return;
  }
  const status = NODE_CLIENT_ERROR_STATUS[String(code)] ?? 400;
  socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
  socket.destroy();
}

// Node's own table (lib/_http_server.js, socketOnError).
const NODE_CLIENT_ERROR_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

function authorizationCount(rawHeaders: string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]?.toLowerCase() === "authorization") count += 1;
  return count;
}

function refuse(res: ServerResponse, status: number, body: object): true {
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...jsonHeaders(payload), connection: "close" });
  res.end(payload);
  return true;
}

function jsonHeaders(payload: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "content-length": String(Buffer.byteLength(payload)),
  };
}

function answerAndClose(socket: Duplex, status: number, body: object): void {
  if (socket.destroyed || socket.writableEnded) return;
  const payload = JSON.stringify(body);
  const head = Object.entries({ ...jsonHeaders(payload), connection: "close" }).map(([name, value]) => `${name}: ${value}\r\n`);
  // Node stops watching a socket it hands to 'connect': an unheard error would crash the process.
  socket.on("error", () => socket.destroy());
  socket.on("end", () => socket.destroy());
  socket.resume();
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join("")}\r\n${payload}`);
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
}

function responseUnderWay(socket: Duplex): boolean {
  // Node's own check; _httpMessage is the ServerResponse currently bound to the connection.
  const current = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  return Boolean(current?.headersSent);
}
