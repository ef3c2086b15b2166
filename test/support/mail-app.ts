// Helpers for the mail suites (test/integration/mail-*.test.ts): a server that sends real mail to
// an in-process SMTP sink, accounts with an email address, sign-ins, admins and the audit log.
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, expect } from "vitest";
import { type App, useApp } from "./app";
import { type Client, GOOD_PASSWORD, uniqueName } from "./client";
import type { Provider } from "./databases";
import { type SmtpMessage, type SmtpSink, startSmtp } from "./smtp";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const SUBJECTS = {
  reset: /reset your latchkey password/i,
  changed: /password was changed/i,
  verify: /confirm your email address/i,
  change: /confirm your new email address/i,
  notice: /email address is about to change/i,
} as const;

export type MailApp = { app: App; readonly smtp: SmtpSink };

/**
 * A server (useApp) whose mail goes to its own SMTP sink. The sink starts first, so its URL can
 * be handed to the server; it stops after the server.
 */
export function useMailApp(provider: Provider, opts: { env?: Record<string, string> } = {}): MailApp {
  let sink: SmtpSink | undefined;
  const env: Record<string, string> = { EMAIL_DELIVERY: "on", ...opts.env };
  beforeAll(async () => {
    sink = await startSmtp();
    env.SMTP_URL = sink.url;
  });
  afterAll(async () => {
    await sink?.stop();
  });
  const app = useApp(provider, { env });
  return {
    app,
    get smtp() {
      if (!sink) throw new Error("SMTP sink not started");
      return sink;
    },
  };
}

/** The mails of one kind that reached `address` so far. */
export function mailsTo(smtp: SmtpSink, address: string, subject: RegExp): SmtpMessage[] {
  return smtp.messages.filter((m) => m.to.includes(address) && subject.test(m.subject));
}

/** Waits for the `nth` (1-based) mail of one kind to `address`. */
export async function waitForMail(smtp: SmtpSink, address: string, subject: RegExp, nth = 1, timeoutMs = 8_000): Promise<SmtpMessage> {
  const found = await waitForMails(smtp, address, subject, nth, timeoutMs);
  return found[nth - 1] as SmtpMessage;
}

/** Waits until `count` mails of one kind reached `address`, and returns them oldest first. */
export async function waitForMails(
  smtp: SmtpSink,
  address: string,
  subject: RegExp,
  count: number,
  timeoutMs = 8_000,
): Promise<SmtpMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = mailsTo(smtp, address, subject);
    if (found.length >= count) return found;
    if (Date.now() >= deadline) {
      throw new Error(`${found.length} of ${count} mails matching ${subject} to ${address} within ${timeoutMs} ms`);
    }
    await sleep(20);
  }
}

export type Account = { id: string; username: string; email: string; password: string };

/** Registers an account with an email address through the API (which mails a verification link). */
export async function registerWithEmail(app: App, opts: { password?: string; prefix?: string } = {}): Promise<Account> {
  const username = uniqueName(opts.prefix ?? "m");
  const email = `${username}@example.com`;
  const password = opts.password ?? GOOD_PASSWORD;
  const res = await app.script().post("/api/auth/register", { username, email, password });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return { id: res.body.user.id as string, username, email, password };
}

export type SignedIn = { client: Client; accessToken: string; refreshToken: string };

/** A browser sign-in: the session lives in the client's cookie jar. */
export async function browserSignIn(app: App, user: { username: string; password: string }): Promise<SignedIn> {
  const client = app.browser();
  const res = await client.post("/api/auth/login", { username: user.username, password: user.password });
  expect(res.status, res.text).toBe(200);
  return { client, accessToken: res.body.access_token, refreshToken: client.cookie("latchkey_rt") as string };
}

/** A script sign-in: Bearer access token and a refresh token in the body. */
export async function scriptSignIn(app: App, user: { username: string; password: string }): Promise<SignedIn> {
  const client = app.script();
  const res = await client.post("/api/auth/login", { username: user.username, password: user.password, token_delivery: "body" });
  expect(res.status, res.text).toBe(200);
  expect(res.body.refresh_token).toEqual(expect.any(String));
  return { client, accessToken: res.body.access_token, refreshToken: res.body.refresh_token };
}

/** What `npm run user -- set-role NAME admin` does, against the app's database (test/support/set-role.ts). */
export async function makeAdmin(app: App, username: string): Promise<void> {
  await app.setRole(username, "admin");
}

/** A new admin, signed in with a Bearer token. */
export async function newAdmin(app: App): Promise<{ id: string; username: string; token: string }> {
  const user = await app.newUser();
  await makeAdmin(app, user.username);
  const res = await app.script().post("/api/auth/login", { username: user.username, password: user.password });
  expect(res.status, res.text).toBe(200);
  return { id: user.id, username: user.username, token: res.body.access_token };
}

/** Every audit event, newest first, following nextCursor to the end. */
export async function allAuditEvents(app: App, adminToken: string): Promise<Record<string, unknown>[]> {
  const events: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : "?limit=100";
    const res = await app.script().get(`/api/admin/audit${query}`, { bearer: adminToken });
    expect(res.status, res.text).toBe(200);
    events.push(...(res.body.events as Record<string, unknown>[]));
    cursor = res.body.nextCursor ?? null;
    if (!cursor) return events;
  }
  throw new Error("audit log did not end within 200 pages");
}

/** Header names and values except Date, sorted, for comparing two answers byte for byte. */
export function headersWithoutDate(headers: Headers, also: string[] = []): [string, string][] {
  return [...headers.entries()].filter(([k]) => k !== "date" && !also.includes(k)).sort();
}

export type PlainSink = { port: number; messages: SmtpMessage[]; stop(): Promise<void> };

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** A minimal SMTP sink on a given port (startSmtp() always picks a free one), for "the server came back". */
export async function startSmtpOn(port: number): Promise<PlainSink> {
  const messages: SmtpMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (raw) => {
          const parsed = await simpleParser(raw);
          const to = session.envelope.rcptTo.map((r) => r.address);
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
          messages.push({
            to,
            from: parsed.from?.text ?? from,
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: parsed.html ?? false,
            headers: parsed.headers,
            envelope: { from, to },
            raw: raw.toString("utf8"),
            receivedAt: new Date(),
          });
          callback();
        })
        .catch((e: unknown) => callback(e instanceof Error ? e : new Error(String(e))));
    },
  });
  server.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
