// A real SMTP server on 127.0.0.1 for the tests: the app sends through nodemailer as it would in
// production (SMTP_URL=sink.url), and the test reads what arrived. Plain text only (no STARTTLS),
// any or no AUTH accepted, every message parsed with mailparser and kept in memory.
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type SmtpMessage = {
  /** The envelope's recipients (RCPT TO), which include Bcc: where the mail was actually delivered. */
  to: string[];
  /** The From header as mailparser renders it ('"Latchkey" <no-reply@example.com>'), or the envelope sender if there is none. */
  from: string;
  subject: string;
  /** The plain-text part ("" if the mail has none). */
  text: string;
  html: string | false;
  /** mailparser's map of lowercase header names to parsed values. */
  headers: ParsedMail["headers"];
  envelope: { from: string; to: string[] };
  /** The message as received, headers and encoded body. */
  raw: string;
  receivedAt: Date;
};

export type SmtpSink = {
  /** smtp://127.0.0.1:PORT, ready for nodemailer's createTransport({ url }) or the app's SMTP_URL. */
  url: string;
  port: number;
  /** Every message received since start (or the last clear()), oldest first. */
  messages: SmtpMessage[];
  /** Resolves with the first message (oldest first) that matches, waiting for it to arrive if need be. */
  waitFor(predicate: (m: SmtpMessage) => boolean, opts?: { timeoutMs?: number }): Promise<SmtpMessage>;
  clear(): void;
  stop(): Promise<void>;
};

const POLL_MS = 20;
const DEFAULT_TIMEOUT_MS = 5_000;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function summary(m: SmtpMessage): string {
  return `to ${m.to.join(", ") || "(nobody)"}, subject ${JSON.stringify(m.subject)}`;
}

export async function startSmtp(): Promise<SmtpSink> {
  const messages: SmtpMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true, // an SMTP_URL with user:password in it still works, over plain text
    disableReverseLookup: true,
    logger: false,
    onAuth(_auth, _session, callback) {
      callback(null, { user: "test" });
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (raw) => {
          const parsed = await simpleParser(raw);
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          // Stored before the server answers 250, so a sendMail() that resolved has its message here.
          messages.push({
            to: envelope.to,
            from: parsed.from?.text ?? envelope.from,
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: parsed.html ?? false,
            headers: parsed.headers,
            envelope,
            raw: raw.toString("utf8"),
            receivedAt: new Date(),
          });
          callback();
        })
        .catch((e: unknown) => callback(e instanceof Error ? e : new Error(String(e))));
    },
  });
  // An error after start-up (a client that drops mid-message) must not crash the test run.
  server.on("error", () => {});

  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    async waitFor(predicate, opts = {}) {
      const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() >= deadline) {
          const arrived =
            messages.length === 0 ? "none arrived" : `${messages.length} arrived:\n${messages.map((m) => `  - ${summary(m)}`).join("\n")}`;
          throw new Error(`No matching mail within ${timeoutMs} ms; ${arrived}`);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
    clear() {
      messages.length = 0;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return stopped;
    },
  };
}

export type MailLinkPath = "/reset-password" | "/verify-email" | "/confirm-email";

/**
 * The link to `path` that stands on a line of its own in the mail's plain-text part (SPEC: "Every
 * mail has a plain-text part that contains its link on a line of its own"), and its token.
 * Throws, quoting the text, when there is no such line or it carries no token.
 */
export function linkFrom(message: Pick<SmtpMessage, "text" | "subject">, path: MailLinkPath): { url: string; token: string } {
  for (const line of message.text.split(/\r?\n/)) {
    const candidate = line.trim();
    if (!/^https?:\/\/\S+$/.test(candidate)) continue;
    const url = new URL(candidate);
    if (!url.pathname.endsWith(path)) continue;
    const token = url.searchParams.get("token");
    if (!token) throw new Error(`The ${path} link in ${JSON.stringify(message.subject)} has no token: ${candidate}`);
    return { url: candidate, token };
  }
  throw new Error(
    `No ${path} link on a line of its own in the text part of ${JSON.stringify(message.subject)}:\n${message.text || "(no text part)"}`,
  );
}
