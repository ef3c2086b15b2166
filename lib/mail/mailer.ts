// Outgoing mail (SPEC "Mail"). Sending never happens on the request path: `send` queues the
// message and returns; delivery is retried with back-off, and a failure is logged without the
// message body (it carries a single-use link). Three ways to deliver, chosen by configuration:
// SMTP (SMTP_URL), the development outbox (no SMTP_URL outside production), or none
// (EMAIL_DELIVERY=off).
import nodemailer from "nodemailer";
import type { Config } from "@/lib/config";
import { log } from "@/lib/log";
import type { Tasks } from "@/lib/tasks";

export type MailKind =
  | "password_reset"
  | "password_changed"
  | "email_verification"
  | "email_change"
  | "email_change_notice"
  | "second_factors_reset"
  | "invitation";

export type Mail = { kind: MailKind; to: string; subject: string; text: string; html: string };

export type Mailer = {
  /** Queues a message; never throws and never waits for delivery. */
  send(mail: Mail): void;
  /** How mail leaves this process, for pages that must say so (admin set-up links). */
  readonly delivery: "smtp" | "outbox" | "off";
};

export type OutboxEntry = Mail & { id: number; at: string };

// The development outbox lives in memory, on globalThis so Next's dev reloads keep it.
const OUTBOX = Symbol.for("latchkey.outbox");
const OUTBOX_SIZE = 100;
type OutboxHolder = { [OUTBOX]?: OutboxEntry[] };

/** Newest first. Only ever filled in development (see mailerFor). */
export function outboxMessages(): OutboxEntry[] {
  return [...((globalThis as OutboxHolder)[OUTBOX] ?? [])].reverse();
}

function outboxMailer(clock: () => Date): Mailer {
  const holder = globalThis as OutboxHolder;
  return {
    delivery: "outbox",
    send(mail) {
      const list = (holder[OUTBOX] ??= []);
      list.push({ ...mail, id: (list.at(-1)?.id ?? 0) + 1, at: clock().toISOString() });
      if (list.length > OUTBOX_SIZE) list.splice(0, list.length - OUTBOX_SIZE);
      log.info({ mail: mail.kind }, "mail stored in the development outbox (/dev/outbox)");
    },
  };
}

/** Delays before each retry; a message is given up after the last. */
const RETRY_DELAYS_MS = [1_000, 5_000, 30_000];

function smtpMailer(config: Config, tasks: Tasks, retryDelays: number[]): Mailer {
  const transport = nodemailer.createTransport(config.SMTP_URL as string);
  const domain = (to: string) => to.slice(to.lastIndexOf("@") + 1);
  return {
    delivery: "smtp",
    send(mail) {
      tasks.defer(`mail:${mail.kind}`, async () => {
        for (let attempt = 0; ; attempt++) {
          try {
            await transport.sendMail({ from: config.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
            return;
          } catch (e) {
            const delay = retryDelays[attempt];
            const detail = {
              mail: mail.kind,
              toDomain: domain(mail.to),
              attempt: attempt + 1,
              err: e instanceof Error ? e.message : String(e),
            };
            if (delay === undefined) {
              log.error(detail, "mail could not be delivered; giving up");
              return;
            }
            log.warn(detail, "mail delivery failed; retrying");
            await new Promise((r) => setTimeout(r, delay));
          }
        }
      });
    },
  };
}

const offMailer: Mailer = {
  delivery: "off",
  send(mail) {
    log.info({ mail: mail.kind }, "mail not sent: EMAIL_DELIVERY=off");
  },
};

export function mailerFor(config: Config, tasks: Tasks, opts: { clock?: () => Date; retryDelaysMs?: number[] } = {}): Mailer {
  if (config.EMAIL_DELIVERY === "off") return offMailer;
  if (config.SMTP_URL) return smtpMailer(config, tasks, opts.retryDelaysMs ?? RETRY_DELAYS_MS);
  // lib/config.ts refuses production without SMTP_URL unless delivery is off.
  return outboxMailer(opts.clock ?? (() => new Date()));
}
