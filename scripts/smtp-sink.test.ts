// Self-test of the SMTP sink the mail tests rely on (test/support/smtp.ts): real nodemailer
// sending to a real smtp-server on 127.0.0.1.
import nodemailer, { type SendMailOptions } from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { linkFrom, type SmtpSink, startSmtp } from "@/test/support/smtp";

let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtp();
});
afterAll(() => sink?.stop());
beforeEach(() => sink.clear());

const resetText = "Reset your password:\n\nhttp://localhost:3000/reset-password?token=abc_DEF-123\n\nThe link works for 30 minutes.";

function send(mail: SendMailOptions, auth?: { user: string; pass: string }) {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port: sink.port, secure: false, ignoreTLS: true, auth });
  return transport.sendMail({ from: "Latchkey <no-reply@latchkey.test>", ...mail }).finally(() => transport.close());
}

describe("startSmtp", () => {
  it("listens on 127.0.0.1 and reports its port in the URL", () => {
    expect(sink.port).toBeGreaterThan(0);
    expect(sink.url).toBe(`smtp://127.0.0.1:${sink.port}`);
  });

  it("receives and parses what nodemailer sends", async () => {
    await send({ to: "alice@example.com", subject: "Reset your password", text: resetText, html: "<p>Reset</p>" });
    const viaUrl = nodemailer.createTransport({ url: sink.url, ignoreTLS: true });
    await viaUrl.sendMail({ from: "no-reply@latchkey.test", to: ["bob@example.org", "carol@example.org"], subject: "Hello", text: "Hi" });
    viaUrl.close();

    const reset = await sink.waitFor((m) => m.to.includes("alice@example.com"));
    expect(reset).toMatchObject({
      to: ["alice@example.com"],
      from: '"Latchkey" <no-reply@latchkey.test>', // mailparser's rendering of the From header
      subject: "Reset your password",
      html: "<p>Reset</p>",
      envelope: { from: "no-reply@latchkey.test", to: ["alice@example.com"] },
    });
    expect(reset.text.trim()).toBe(resetText);
    expect(reset.headers.get("subject")).toBe("Reset your password");
    expect(reset.raw).toContain("Subject: Reset your password");

    const hello = await sink.waitFor((m) => m.subject === "Hello");
    expect(hello.to).toEqual(["bob@example.org", "carol@example.org"]);
    expect(hello.html).toBe(false);
    expect(sink.messages).toHaveLength(2);
  });

  it("waits for a message that has not arrived yet", async () => {
    const waiting = sink.waitFor((m) => m.subject === "Later", { timeoutMs: 3_000 });
    setTimeout(() => void send({ to: "dave@example.com", subject: "Later", text: "x" }), 50);
    expect((await waiting).to).toEqual(["dave@example.com"]);
  });

  it("accepts AUTH over plain text and internationalised addresses", async () => {
    await send({ to: "иван@пример.рф", subject: "Ünïcödé ✓", text: "Привет" }, { user: "u", pass: "p" });
    const m = await sink.waitFor((x) => x.to.includes("иван@пример.рф"));
    expect(m.subject).toBe("Ünïcödé ✓");
    expect(m.text.trim()).toBe("Привет");
  });

  it("times out with a readable list of what did arrive", async () => {
    await send({ to: "alice@example.com", subject: "Welcome", text: "hi" });
    const started = Date.now();
    await expect(sink.waitFor((m) => m.to.includes("nobody@example.com"), { timeoutMs: 200 })).rejects.toThrow(
      'No matching mail within 200 ms; 1 arrived:\n  - to alice@example.com, subject "Welcome"',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    sink.clear();
    expect(sink.messages).toEqual([]);
    await expect(sink.waitFor(() => true, { timeoutMs: 50 })).rejects.toThrow("No matching mail within 50 ms; none arrived");
  });
});

describe("linkFrom", () => {
  it("finds the link on a line of its own and its token", async () => {
    await send({ to: "alice@example.com", subject: "Reset your password", text: resetText });
    const m = await sink.waitFor((x) => x.subject === "Reset your password");
    expect(linkFrom(m, "/reset-password")).toEqual({
      url: "http://localhost:3000/reset-password?token=abc_DEF-123",
      token: "abc_DEF-123",
    });
  });

  it("tolerates CRLF and surrounding spaces, and picks the link for the path asked", () => {
    const text = "Hi,\r\n  https://app.example/verify-email?token=v1  \r\nor change it:\r\nhttps://app.example/confirm-email?token=c2\r\n";
    expect(linkFrom({ subject: "s", text }, "/verify-email").token).toBe("v1");
    expect(linkFrom({ subject: "s", text }, "/confirm-email")).toEqual({ url: "https://app.example/confirm-email?token=c2", token: "c2" });
  });

  it("throws when the link is missing, not on its own line, or has no token", () => {
    expect(() => linkFrom({ subject: "Welcome", text: "hi" }, "/verify-email")).toThrow(
      'No /verify-email link on a line of its own in the text part of "Welcome":\nhi',
    );
    expect(() => linkFrom({ subject: "s", text: resetText }, "/verify-email")).toThrow(/No \/verify-email link/);
    expect(() => linkFrom({ subject: "s", text: "Open http://localhost:3000/reset-password?token=abc now" }, "/reset-password")).toThrow(
      /on a line of its own/,
    );
    expect(() => linkFrom({ subject: "s", text: "http://localhost:3000/reset-password\n" }, "/reset-password")).toThrow(/has no token/);
    expect(() => linkFrom({ subject: "s", text: "" }, "/reset-password")).toThrow(/\(no text part\)/);
  });
});
