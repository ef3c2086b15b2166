// The Latchkey HTTP server: `npm run dev` and `npm start` both run this file. Before Next.js
// takes the request it (1) records the socket address in a header clients cannot set,
// (2) drops the internal x-middleware-subrequest header (CVE-2025-29927 class bypasses) and
// (3) sets the security headers every response carries. At start-up it checks the signing keys
// and applies pending migrations; with AUDIT_RETENTION set it prunes the audit log now and hourly.
import { createServer, type ServerResponse } from "node:http";
import next from "next";
import { type Config, ConfigError, config, nextDistDir, provideDevEncryptionKeys, provideDevSigningKeys } from "@/lib/config";
import { applyMigrations } from "@/lib/db/migrate";
import { isDbOutageRecent } from "@/lib/db/outage";
import { API_CSP } from "@/lib/edge/csp";
import { PAGE_STATUS_HEADER } from "@/lib/edge/page-status";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-info";
import { loadUnknownAddressTest } from "@/lib/http/known-routes";
import { loadPrerenderedCspManifest, loadPrerenderedPages, routePrerendered } from "@/lib/http/prerendered";
import { refuseConnect, refuseUnparsed, refuseUnservable } from "@/lib/http/request-guard";
import { routeShell } from "@/lib/http/shells";
import { ensureDevEncryptionKeys, ensureDevKeys, productionKeyProblem } from "./scripts/lib/signing-keys";

const dev = process.argv.includes("--dev");
// The app folder: `npm start` and `npm run dev` run from it (migrations, the build and the hashing
// worker are found from it too), whether this file runs as TypeScript or compiled in dist/.
const root = process.cwd();

function refuseToStart(problems: string[]): never {
  for (const problem of problems) process.stderr.write(`latchkey: refusing to start: ${problem}\n`);
  process.exit(1);
}

/** The validated configuration, or one line per bad value and exit (production and development alike). */
async function startupConfig(): Promise<Config> {
  if (dev) {
    await provideDevSigningKeys(() => ensureDevKeys(root));
    await provideDevEncryptionKeys(async () => ensureDevEncryptionKeys(root));
  }
  let cfg: Config;
  try {
    cfg = config();
  } catch (e) {
    if (e instanceof ConfigError) refuseToStart(e.problems);
    throw e;
  }
  if (!dev) {
    const problem = await productionKeyProblem(cfg.AUTH_SIGNING_KEYS, root);
    if (problem) refuseToStart([problem]);
  }
  return cfg;
}

async function main(): Promise<void> {
  const cfg = await startupConfig();
  const { PORT: port, HOST: hostname } = cfg;
  const { applied } = await applyMigrations(cfg.DATABASE_URL);
  for (const name of applied) process.stdout.write(`latchkey: applied migration ${name}\n`);

  // Next compares a middleware rewrite's origin with http://<hostname>:<port>, but builds the URL
  // the middleware sees with "localhost": any other hostname here (HOST is a bind address, often
  // 0.0.0.0) turns every rewrite into an HTTP request to itself instead of an internal one.
  const app = next({ dev, dir: root, hostname: "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const https = cfg.secureCookies;
  // Hashes of the prerendered pages' inline scripts, written after the build by scripts/prerendered-csp.ts.
  const prerendered = loadPrerenderedCspManifest(nextDistDir(root));
  // Their HTML, which server.ts sends itself: Next would answer each visit with the same bytes.
  const pages = dev ? new Map() : loadPrerenderedPages(nextDistDir(root), prerendered);
  const settings = {
    passwordMinLength: cfg.PASSWORD_MIN_LENGTH,
    mailEnabled: cfg.EMAIL_DELIVERY === "on",
    // Addresses no page has: a signed-out visit gets the prerendered 404 page.
    unknownAddress: loadUnknownAddressTest(nextDistDir(root), root),
  };
  if (!dev && Object.keys(prerendered).length === 0) {
    process.stderr.write(
      "latchkey: no prerendered-csp.json: build with `npm run build` (it runs scripts/prerendered-csp.ts after `next build`); until then the prerendered pages run without their scripts\n",
    );
  }

  const server = createServer((req, res) => {
    if (refuseUnservable(req, res)) return;
    req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
    delete req.headers["x-middleware-subrequest"];
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("referrer-policy", "strict-origin-when-cross-origin");
    res.setHeader("x-frame-options", "DENY");
    res.setHeader("cross-origin-opener-policy", "same-origin");
    res.setHeader("permissions-policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    // Pages replace this with their nonce-based policy (middleware); everything else keeps it.
    res.setHeader("content-security-policy", API_CSP);
    if (https) res.setHeader("strict-transport-security", "max-age=63072000; includeSubDomains");
    settleStatus(res);
    if (!dev && routePrerendered(req, res, prerendered, settings, pages)) return;
    // A plain visit to /dashboard is filled into its prerendered shell (ADR 0023).
    if (!dev) routeShell(req, res);
    void handle(req, res);
  })
    .on("connect", refuseConnect)
    .on("clientError", refuseUnparsed)
    .listen(port, hostname, () => {
      process.stdout.write(`latchkey: ready on http://localhost:${port} (${dev ? "development" : "production"})\n`);
    });
  // An idle kept-alive connection stays open longer than a load balancer's (60 s is common) or a
  // client's pool keeps it: with Node's 5 s default, a client reusing a connection just as the
  // server closes it gets a reset instead of an answer.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  if (cfg.AUDIT_RETENTION !== null) await startAuditRetention(cfg);
}

/**
 * Hourly pruning (lib/audit/retention.ts). It shares the process's one database client with the
 * request handlers (getDb() is per process), and needs no throttle or mailer, so it builds only
 * what pruning uses rather than the full `deps()`. Failures are logged; the timer is unref'd.
 */
async function startAuditRetention(cfg: Config): Promise<void> {
  // Loaded only when pruning is on: the database client is otherwise Next's alone, and this
  // process does not hold a second copy of it.
  const [{ scheduleAuditRetention }, { createAuditLog }, { getDb }] = await Promise.all([
    import("@/lib/audit/retention"),
    import("@/lib/auth/audit"),
    import("@/lib/db/client"),
  ]);
  const clock = { now: () => new Date() };
  scheduleAuditRetention(() => {
    const db = getDb();
    return { config: cfg, db, clock, audit: createAuditLog(db, clock) };
  });
}

/**
 * A page render that failed because the database is unreachable answers 503, not 500
 * (lib/db/outage.ts); a page the middleware gave a status of its own (lib/edge/page-status.ts)
 * answers with it instead of 200.
 */
function settleStatus(res: ServerResponse): void {
  // Attributed from when the request began: a render slowed down by the outage itself may take
  // longer than the attribution window to fail.
  const began = Date.now();
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const pageStatus = Number(res.getHeader(PAGE_STATUS_HEADER));
    res.removeHeader(PAGE_STATUS_HEADER);
    if (status === 200 && pageStatus >= 400 && pageStatus < 500) return writeHead(pageStatus, ...rest);
    if (status === 500 && isDbOutageRecent(began)) {
      res.setHeader("retry-after", "5");
      res.setHeader("cache-control", "no-store");
      return writeHead(503, ...rest);
    }
    return writeHead(status, ...rest);
  }) as ServerResponse["writeHead"];
}

main().catch((e: unknown) => {
  process.stderr.write(`latchkey: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
