// The database's availability, owned by a test: a TCP proxy in front of the local PostgreSQL that
// the server under test connects through. No mocks: when the proxy goes down the server's real
// connections drop, or hang, and when it comes back the same server process must recover.
import { createConnection, createServer, type Server, type Socket } from "node:net";

export type OutageMode = "refuse" | "blackhole" | "partition";

export type DbProxy = {
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  route(url: string): string;
  /**
   * "refuse": open connections drop, new ones are refused. "blackhole": open connections drop, new
   * ones are accepted and never answered. "partition": nothing drops, nothing answers.
   */
  down(mode?: OutageMode): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
};

export async function startDbProxy(target: { host: string; port: number }): Promise<DbProxy> {
  const sockets = new Set<Socket>();
  let state: "up" | OutageMode = "up";
  let server: Server | undefined;
  let port = 0;

  const onConnection = (client: Socket) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    if (state === "blackhole") return; // accepted, never forwarded: the client must time out by itself
    const upstream = createConnection(target);
    sockets.add(upstream);
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => upstream.destroy());
    client.on("close", () => upstream.destroy());
    // Forwarded by hand, not piped, so a partition can swallow bytes on connections that stay open.
    client.on("data", (chunk: Buffer) => state === "up" && upstream.write(chunk));
    upstream.on("data", (chunk: Buffer) => state === "up" && client.write(chunk));
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer(onConnection);
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        const address = s.address();
        if (typeof address === "object" && address) port = address.port;
        server = s;
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = undefined;
      if (!s) return resolve();
      s.close(() => resolve());
    });
  const dropAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };

  await listen();
  return {
    get port() {
      return port;
    },
    route(url) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    async down(mode = "refuse") {
      state = mode;
      // A partition keeps every socket open and silent: the peer vanished without a FIN or RST.
      if (mode === "partition") return;
      // close() waits for open connections to end, so drop them before waiting.
      const closing = mode === "refuse" ? stopListening() : undefined;
      dropAll();
      await closing;
    },
    async up() {
      dropAll(); // blackholed sockets are dead ends; the pool must reconnect
      state = "up";
      if (!server) await listen();
    },
    async close() {
      const closing = stopListening();
      dropAll();
      await closing;
    },
  };
}
