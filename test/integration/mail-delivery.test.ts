// SPEC "Environment" (SMTP_URL, EMAIL_DELIVERY) and "Mail": production refuses to start without
// SMTP_URL unless EMAIL_DELIVERY=off, in one line naming SMTP_URL; with delivery off nothing is
// sent; mail is sent after the answer and retried when the SMTP server is briefly down; the
// development outbox does not exist in production.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { useApp } from "../support/app";
import { uniqueName } from "../support/client";
import { registerWithEmail, SUBJECTS, sleep, startSmtpOn, useMailApp, waitForMail } from "../support/mail-app";
import { freePort, ROOT, serverCommand, TEST_ENCRYPTION_KEYS } from "../support/server";
import { linkFrom, type SmtpSink, startSmtp } from "../support/smtp";

type Exit = { code: number | null; stderr: string; stdout: string; listened: boolean };

const scratch = mkdtempSync(path.join(tmpdir(), "latchkey-mail-delivery-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Starts the compiled server in production with valid signing keys and `env`, and waits for it to exit (killed after 30 s). */
async function startProduction(env: Record<string, string>): Promise<Exit> {
  const port = await freePort();
  const child = spawn(serverCommand().command, serverCommand().args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${path.join(scratch, `${port}.db`)}`,
      AUTH_SIGNING_KEYS: JSON.stringify(await generateKeySet()),
      AUTH_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
      LOG_LEVEL: "warn",
      ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stderr, stdout, listened: stdout.includes("ready on") };
}

describe("production without a way to send mail", () => {
  it("no SMTP_URL and no EMAIL_DELIVERY=off: exits non-zero with one stderr line naming SMTP_URL", async () => {
    const envs: Record<string, string>[] = [{}, { SMTP_URL: "" }, { EMAIL_DELIVERY: "on" }];
    for (const env of envs) {
      const exit = await startProduction(env);
      expect(exit.code, exit.stderr).not.toBe(0);
      expect(exit.code, "exited by itself").not.toBeNull();
      expect(exit.listened).toBe(false);
      const lines = exit.stderr.trim().split("\n");
      expect(lines, exit.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/SMTP_URL/);
      expect(lines[0]).toMatch(/EMAIL_DELIVERY=off/);
    }
  }, 60_000);

  it("a malformed SMTP_URL is refused the same way", async () => {
    const exit = await startProduction({ SMTP_URL: "http://mail.example.com" });
    expect(exit.code, exit.stderr).not.toBe(0);
    expect(exit.listened).toBe(false);
    const lines = exit.stderr.trim().split("\n");
    expect(lines, exit.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/SMTP_URL/);
  }, 30_000);
});

describe("the user CLI in production without mail settings", () => {
  it("`npm run user -- create` works (it sends no mail) or refuses in one line naming SMTP_URL, never a stack trace", async () => {
    const child = spawn(
      path.join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/user.ts", "create", "--username", uniqueName("cli"), "--password-stdin"],
      {
        cwd: ROOT,
        env: {
          NODE_ENV: "production",
          PATH: process.env.PATH ?? "",
          DATABASE_URL: `file:${path.join(scratch, "cli.db")}`,
          AUTH_SIGNING_KEYS: JSON.stringify(await generateKeySet()),
          AUTH_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
          BCRYPT_COST: "4",
          LOG_LEVEL: "warn",
        },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdin.end("correct horse battery staple orbit");
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    if (code === 0) {
      expect(stdout).toMatch(/^created /);
      return;
    }
    expect(stderr, "no stack trace").not.toMatch(/^\s+at /m);
    const lines = stderr.trim().split("\n");
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/SMTP_URL/);
  }, 30_000);
});

describe("EMAIL_DELIVERY=off", () => {
  // An SMTP server is configured, so "nothing is sent" means nothing reaches it.
  let sink: SmtpSink | undefined;
  const env: Record<string, string> = { EMAIL_DELIVERY: "off" };
  beforeAll(async () => {
    sink = await startSmtp();
    env.SMTP_URL = sink.url;
  });
  afterAll(async () => {
    await sink?.stop();
  });
  const app = useApp("sqlite", { env });

  it("starts; sign-up with an email and forgot answer as usual, and no mail is sent", async () => {
    const user = await registerWithEmail(app);
    for (const identifier of [user.username, user.email, uniqueName("ghost")]) {
      const res = await app.script().post("/api/auth/password/forgot", { identifier });
      expect(res.status, res.text).toBe(202);
      expect(res.body).toEqual({ message: expect.any(String) });
    }
    await sleep(1_000);
    expect(sink?.messages).toEqual([]);
  });

  it("/dev/outbox is a 404 in production", async () => {
    const res = await fetch(`${app.url}/dev/outbox`, { redirect: "manual" });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/reset-password\?token=/);
  });
});

describe("SMTP server down when the mail is sent", () => {
  const mail = useMailApp("sqlite");

  it("/dev/outbox is a 404 in production with SMTP too", async () => {
    expect((await fetch(`${mail.app.url}/dev/outbox`, { redirect: "manual" })).status).toBe(404);
  });

  it("forgot answers 202 at once; the mailer retries and the mail arrives once the server is back on the same port", async () => {
    const user = await registerWithEmail(mail.app);
    await waitForMail(mail.smtp, user.email, SUBJECTS.verify);
    const port = mail.smtp.port;
    await mail.smtp.stop();

    const started = performance.now();
    const res = await mail.app.script().post("/api/auth/password/forgot", { identifier: user.username });
    const elapsed = performance.now() - started;
    expect(res.status, res.text).toBe(202);
    // Waiting for delivery would mean waiting out the retries (1 s, 5 s, 30 s) with the sink still down.
    expect(elapsed, "the answer does not wait for the mail").toBeLessThan(2_000);

    // The first attempt has failed (the server logs a warning) before the sink comes back.
    const deadline = Date.now() + 5_000;
    while (!/mail delivery failed/i.test(mail.app.server.output()) && Date.now() < deadline) await sleep(20);
    expect(mail.app.server.output()).toMatch(/mail delivery failed/i);
    const back = await startSmtpOn(port);
    try {
      const arrivalDeadline = Date.now() + 10_000;
      while (!back.messages.some((m) => m.to.includes(user.email)) && Date.now() < arrivalDeadline) await sleep(50);
      const message = back.messages.find((m) => m.to.includes(user.email));
      expect(message, "the reset mail after the retry").toBeDefined();
      expect(message?.subject).toMatch(SUBJECTS.reset);
      const { token } = linkFrom(message as NonNullable<typeof message>, "/reset-password");
      expect(
        back.messages.filter((m) => m.to.includes(user.email)),
        "delivered once",
      ).toHaveLength(1);
      // The failure was logged without the message or its link.
      expect(mail.app.server.output()).not.toContain(token);
      const reset = await mail.app.script().post("/api/auth/password/reset", { token, password: "quiet lantern harbour meadow 47" });
      expect(reset.status, reset.text).toBe(204);
    } finally {
      await back.stop();
    }
  }, 30_000);
});
