// Starts one production server for the whole run, exactly as the integration harness does: a
// throwaway SQLite file, a fresh signing key set, NODE_ENV=production, `tsx server.ts`.
// TRUST_PROXY lets every browser context send its own X-Forwarded-For address, so the
// per-address login and sign-up limits of one test never reach another.
// Mail is on and goes to a real SMTP sink (test/support/smtp.ts). The tests run in other
// processes than this one, so every message that arrives is written as JSON into a folder they
// read (E2E_MAIL_DIR; e2e/support/mail.ts).
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateKeySet } from "../../scripts/lib/signing-keys";
import { startServer } from "../../test/support/server";
import { type SmtpMessage, type SmtpSink, startSmtp } from "../../test/support/smtp";
import type { StoredMail } from "./mail";

const MAIL_POLL_MS = 25;

/** Copies every message the sink receives into `dir`, one file each, in arrival order; returns the stopper. */
function mirrorMail(sink: SmtpSink, dir: string): () => void {
  let written = 0;
  const flush = () => {
    while (written < sink.messages.length) {
      const m = sink.messages[written] as SmtpMessage;
      const mail: StoredMail = { to: m.to, from: m.from, subject: m.subject, text: m.text, receivedAt: m.receivedAt.toISOString() };
      const name = `${String(written).padStart(6, "0")}.json`;
      // Written under another name, then renamed: a reader never sees half a file.
      writeFileSync(path.join(dir, `.${name}.tmp`), JSON.stringify(mail));
      renameSync(path.join(dir, `.${name}.tmp`), path.join(dir, name));
      written += 1;
    }
  };
  const timer = setInterval(flush, MAIL_POLL_MS);
  return () => {
    clearInterval(timer);
    flush();
  };
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "latchkey-e2e-"));
  const databaseUrl = `file:${path.join(dir, "e2e.db")}`;
  const mailDir = path.join(dir, "mail");
  mkdirSync(mailDir);
  const keys = JSON.stringify(await generateKeySet());
  const port = process.env.E2E_PORT ? Number(process.env.E2E_PORT) : undefined;
  const sink = await startSmtp();
  const stopMirror = mirrorMail(sink, mailDir);
  const env = { TRUST_PROXY: "1", EMAIL_DELIVERY: "on", SMTP_URL: sink.url };
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ databaseUrl, keys, env, ...(port ? { port } : {}) });
  } catch (e) {
    stopMirror();
    await sink.stop();
    throw e;
  }
  // Workers start after this returns and inherit these.
  process.env.E2E_BASE_URL = server.url;
  process.env.E2E_DATABASE_URL = databaseUrl;
  process.env.E2E_SIGNING_KEYS = keys;
  process.env.E2E_MAIL_DIR = mailDir;
  return async () => {
    await server.stop();
    stopMirror();
    await sink.stop();
    if (process.env.E2E_SERVER_LOG) process.stdout.write(server.output());
    rmSync(dir, { recursive: true, force: true });
  };
}
