import { createServer } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "@/lib/config";
import { log } from "@/lib/log";
import { createTasks } from "@/lib/tasks";
import { mailerFor, outboxMessages } from "./mailer";
import { passwordResetMail } from "./templates";

const mail = (to: string) =>
  passwordResetMail(to, { url: "http://localhost:3000/reset-password?token=abc", username: "alice", minutes: 30 });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe("mailerFor", () => {
  it("retries over SMTP until the server is back, off the caller's path", async () => {
    const port = await freePort();
    const tasks = createTasks();
    const warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    const mailer = mailerFor(loadConfig({ SMTP_URL: `smtp://127.0.0.1:${port}` }), tasks, { retryDelaysMs: [200, 400, 800] });
    expect(mailer.delivery).toBe("smtp");

    // Nothing to wait for: delivery runs as a background task, retried while the server is down.
    expect(mailer.send(mail("alice@example.com"))).toBeUndefined();

    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, _session, done) {
        simpleParser(stream).then((parsed) => {
          received.push(parsed.text ?? "");
          done();
        }, done);
      },
    });
    await new Promise((r) => setTimeout(r, 100));
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    try {
      await tasks.idle();
      expect(received).toHaveLength(1);
      expect(received[0]).toContain("\nhttp://localhost:3000/reset-password?token=abc\n");
      expect(warn).toHaveBeenCalled();
      // The failure log names the kind and the domain, never the link.
      expect(JSON.stringify(warn.mock.calls)).not.toContain("token=abc");
    } finally {
      warn.mockRestore();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("gives up after the last retry and logs it, without throwing at anyone", async () => {
    const port = await freePort();
    const tasks = createTasks();
    const error = vi.spyOn(log, "error").mockImplementation(() => undefined);
    const warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    const mailer = mailerFor(loadConfig({ SMTP_URL: `smtp://127.0.0.1:${port}` }), tasks, { retryDelaysMs: [10] });
    mailer.send(mail("bob@example.com"));
    await tasks.idle();
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ mail: "password_reset", toDomain: "example.com", attempt: 2 }),
      expect.any(String),
    );
    error.mockRestore();
    warn.mockRestore();
  });

  it("keeps development mail in the outbox, and sends nothing when delivery is off", async () => {
    const tasks = createTasks();
    const outbox = mailerFor(loadConfig({}), tasks);
    expect(outbox.delivery).toBe("outbox");
    outbox.send(mail("carol@example.com"));
    expect(outboxMessages()[0]).toMatchObject({ to: "carol@example.com", kind: "password_reset", subject: "Reset your Latchkey password" });

    const off = mailerFor(loadConfig({ EMAIL_DELIVERY: "off" }), tasks);
    expect(off.delivery).toBe("off");
    const before = outboxMessages().length;
    off.send(mail("dave@example.com"));
    expect(outboxMessages()).toHaveLength(before);
  });

  it("puts the link on a line of its own in the text part and escapes the HTML part", () => {
    const m = passwordResetMail("e@example.com", { url: "http://x/reset-password?token=a&b=<c>", username: "<eve>", minutes: 30 });
    expect(m.text.split("\n")).toContain("http://x/reset-password?token=a&b=<c>");
    expect(m.html).toContain("token=a&amp;b=&lt;c&gt;");
    expect(m.html).not.toContain("<eve>");
  });
});
