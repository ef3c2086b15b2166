// Mail the e2e server sent, as the global setup's SMTP sink stored it: one JSON file per message
// in E2E_MAIL_DIR, named in arrival order. Every test mails its own fresh address, so a test
// finds its messages by recipient and never sees another test's.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { linkFrom, type MailLinkPath } from "../../test/support/smtp";

export type StoredMail = { to: string[]; from: string; subject: string; text: string; receivedAt: string };

function mailDir(): string {
  const dir = process.env.E2E_MAIL_DIR;
  if (!dir) throw new Error("E2E_MAIL_DIR missing: run through `playwright test` (global setup starts the SMTP sink)");
  return dir;
}

/** Every stored message, oldest first. */
export function storedMail(): StoredMail[] {
  const dir = mailDir();
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json") && !name.startsWith("."))
    .sort()
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), "utf8")) as StoredMail);
}

/**
 * The newest message to `address` whose subject matches, once at least `count` such messages
 * have arrived (sign-up already mailed a confirmation link, so a second one is asked for as 2).
 */
export async function waitForMail(address: string, subject: string | RegExp, opts: { count?: number; timeoutMs?: number } = {}) {
  const count = opts.count ?? 1;
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const matches = (m: StoredMail) =>
    m.to.includes(address.toLowerCase()) && (typeof subject === "string" ? m.subject === subject : subject.test(m.subject));
  for (;;) {
    const found = storedMail().filter(matches);
    if (found.length >= count) return found.at(-1) as StoredMail;
    if (Date.now() > deadline) {
      throw new Error(`expected ${count} mail(s) to ${address} with subject ${subject}, found ${found.length}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The link to `page` in a message's text part, as a path on the test server (its token included). */
export function mailLink(mail: StoredMail, page: MailLinkPath): string {
  const { url } = linkFrom(mail, page);
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}
