// The peer apps in ../shared/peers (Auth.js v5 and a plain jose middleware), served beside
// Latchkey for side-by-side rows: `serve.sh NAME PORT` builds one once, starts `next start` and
// prints its process group and a signed-in session cookie. Absent folder: no peer rows.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { freePort } from "@/test/support/server";
import { pidListeningOn, rssMiBOf } from "./target";

export const PEERS_DIR = path.resolve(__dirname, "..", "..", "shared", "peers");
export const PEER_NAMES = ["plain-jose", "authjs"] as const;
export type PeerName = (typeof PEER_NAMES)[number];

export type Peer = { name: PeerName; url: string; cookie: string; pid: number; rssMiB(): number; stop(): Promise<void> };

export function peersAvailable(): boolean {
  return existsSync(path.join(PEERS_DIR, "serve.sh"));
}

function serve(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("bash", [path.join(PEERS_DIR, "serve.sh"), ...args], { timeout: 15 * 60_000 }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`serve.sh ${args.join(" ")}: ${stderr.trim().split("\n").slice(-3).join(" | ") || error.message}`))
        : resolve(stdout),
    );
  });
}

export async function startPeer(name: PeerName): Promise<Peer> {
  const port = await freePort();
  const out = await serve([name, String(port)]);
  const group = /^PID=(\d+)$/m.exec(out)?.[1];
  const cookie = /^COOKIE=(.+)$/m.exec(out)?.[1];
  if (!group || !cookie) throw new Error(`serve.sh ${name}: unexpected output: ${out}`);
  // The node process that listens (next start spawns it), not the process group's leader.
  const pid = pidListeningOn(port);
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    cookie,
    pid,
    rssMiB: () => rssMiBOf(pid),
    stop: () => serve(["stop", group]).then(() => undefined),
  };
}
