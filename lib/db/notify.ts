// PostgreSQL LISTEN on one dedicated connection (docs/decisions/0021-auth-caches.md). NOTIFY is
// transactional: sent inside a transaction, it is delivered only if and when that commits, so a
// listener never hears of a change it cannot yet read. While not listening (connecting, or the
// connection was lost) `listening` is false and the owner must not trust what it cached; the
// listener reconnects by itself.
import pg from "pg";
import { quoteIdent } from "./url";

export type Listener = {
  readonly listening: boolean;
  /** Connects and listens, unless already doing so. */
  start(): void;
  close(): Promise<void>;
};

export type ListenerOptions = {
  connectionString: string;
  channel: string;
  onMessage(payload: string): void;
  /** Called when the listener stops listening: whatever was sent meanwhile may be lost. */
  onLost(): void;
  retryMs?: number;
  /** A query this often proves the connection alive: keep-alive alone takes minutes. */
  heartbeatMs?: number;
};

export function createListener(opts: ListenerOptions): Listener {
  const retryMs = opts.retryMs ?? 1_000;
  const heartbeatMs = opts.heartbeatMs ?? 5_000;
  let client: pg.Client | undefined;
  // "waiting": lost, reconnecting after retryMs (start() does not hurry it).
  let state: "idle" | "connecting" | "listening" | "waiting" | "closed" = "idle";
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const lost = (from: pg.Client) => {
    if (from !== client || state === "closed") return;
    const was = state;
    state = "waiting";
    client = undefined;
    if (heartbeat) clearInterval(heartbeat);
    from.removeAllListeners("notification");
    void from.end().catch(() => undefined);
    if (was === "listening") opts.onLost();
    retry = setTimeout(() => {
      retry = undefined;
      if (state !== "waiting") return;
      state = "idle";
      connect();
    }, retryMs);
    retry.unref();
  };

  const connect = () => {
    if (state !== "idle") return;
    state = "connecting";
    const c = new pg.Client({
      connectionString: opts.connectionString,
      keepAlive: true,
      connectionTimeoutMillis: 3_000,
      query_timeout: 3_000,
    });
    client = c;
    c.on("error", () => lost(c));
    c.on("end", () => lost(c));
    c.on("notification", (message) => {
      if (message.channel === opts.channel) opts.onMessage(message.payload ?? "");
    });
    c.connect()
      .then(() => c.query(`LISTEN ${quoteIdent(opts.channel)}`))
      .then(() => {
        if (client !== c || state !== "connecting") return;
        state = "listening";
        heartbeat = setInterval(() => void c.query("SELECT 1").catch(() => lost(c)), heartbeatMs);
        heartbeat.unref();
      })
      .catch(() => lost(c));
  };

  return {
    get listening() {
      return state === "listening";
    },
    start: connect,
    async close() {
      const c = client;
      state = "closed";
      client = undefined;
      if (retry) clearTimeout(retry);
      if (heartbeat) clearInterval(heartbeat);
      await c?.end().catch(() => undefined);
    },
  };
}

/** NOTIFY through `db` (a transaction's client delivers it at commit). */
export async function notify(
  db: { $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number> },
  channel: string,
  payload: string,
): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${channel}, ${payload})`;
}
