// Accounts with fixed names, for pictures that should look the same on every run (the README's
// screenshots). Each run has its own empty database, so the names never clash.
import type { Page } from "@playwright/test";
import { runCli } from "../../test/support/cli";
import { GOOD_PASSWORD } from "../../test/support/client";
import { nextAddress, serverEnv, type TestUser } from "./users";

/** Registers `username` (and `email`, if given) through the JSON API, as sign-up would. */
export async function registerNamed(username: string, email?: string): Promise<TestUser> {
  const res = await fetch(`${serverEnv().baseURL}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": nextAddress() },
    body: JSON.stringify({ username, password: GOOD_PASSWORD, ...(email ? { email } : {}) }),
  });
  const body = (await res.json()) as { user?: { id: string } };
  if (res.status !== 201 || !body.user) throw new Error(`register ${username} failed: ${res.status} ${JSON.stringify(body)}`);
  return { id: body.user.id, username, password: GOOD_PASSWORD, role: "user", ...(email ? { email } : {}) };
}

/** An admin made with the CLI, as a person setting up a server would. */
export async function createNamedAdmin(username: string): Promise<TestUser> {
  const { databaseUrl, keys } = serverEnv();
  const out = await runCli(
    { db: { url: databaseUrl }, keys },
    ["create", "--username", username, "--role", "admin", "--password-stdin"],
    GOOD_PASSWORD,
  );
  const id = /created \S+ \(admin\) (\S+)/.exec(out.stdout)?.[1];
  if (out.code !== 0 || !id) throw new Error(`user create failed (${out.code}): ${out.stdout} ${out.stderr}`);
  return { id, username, password: GOOD_PASSWORD, role: "admin" };
}

const FIXED = {
  dateTime: "Mar 14, 2026, 9:41 AM",
  longDate: "March 14, 2026",
  countdown: "14 min 32 s",
};

/**
 * Stops the page's clock and rewrites the texts that depend on when the script ran (dates,
 * "3 minutes ago", the token countdown) to fixed ones, so a run that changed nothing on screen
 * leaves the PNGs as they were. Only the words change, never the layout's structure.
 */
export async function freezeTimes(page: Page): Promise<void> {
  await page.clock.pauseAt(Date.now() + 1_000);
  await page.evaluate((fixed) => {
    const months = "January|February|March|April|May|June|July|August|September|October|November|December";
    const rules: [RegExp, string][] = [
      [/\b[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M( UTC)?/g, fixed.dateTime],
      [new RegExp(`\\b(${months}) \\d{1,2}, \\d{4}\\b`, "g"), fixed.longDate],
      [/\b\d+ min \d{2} s\b|\b\d{1,2} s\b/g, fixed.countdown],
      [/\b\d+ (second|minute)s? ago\b|\b1 minute ago\b/g, "just now"],
    ];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      let text = node.nodeValue ?? "";
      for (const [pattern, replacement] of rules) text = text.replace(pattern, replacement);
      if (text !== node.nodeValue) node.nodeValue = text;
    }
  }, FIXED);
}
