// Accounts for the e2e suite, each with a unique name: users register through the API like a
// script would; admins are made with the CLI (`npm run user -- create --role admin`) as a person
// setting up a server would.
import type { BrowserContext } from "@playwright/test";
import { runCli } from "../../test/support/cli";
import { GOOD_PASSWORD, uniqueName } from "../../test/support/client";

export type TestUser = { id: string; username: string; password: string; role: "user" | "admin"; email?: string };

let addressCounter = 0;

/** A fresh client address (sent as X-Forwarded-For; the e2e server trusts the proxy header). */
export function nextAddress(): string {
  addressCounter += 1;
  const n = addressCounter + (process.pid % 2048) * 256;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export function serverEnv(): { baseURL: string; databaseUrl: string; keys: string } {
  const baseURL = process.env.E2E_BASE_URL;
  const databaseUrl = process.env.E2E_DATABASE_URL;
  const keys = process.env.E2E_SIGNING_KEYS;
  if (!baseURL || !databaseUrl || !keys)
    throw new Error("E2E_* variables missing: run through `playwright test` (global setup starts the server)");
  return { baseURL, databaseUrl, keys };
}

/**
 * `longest` pads the name to the 32 characters a username may have, to test layouts. `withEmail`
 * registers `<username>@example.com` too (sign-up then mails a confirmation link to it).
 */
export async function registerUser(prefix = "u", opts: { longest?: boolean; withEmail?: boolean } = {}): Promise<TestUser> {
  const { baseURL } = serverEnv();
  const username = opts.longest ? uniqueName(prefix).padEnd(32, "0") : uniqueName(prefix);
  const email = opts.withEmail ? `${username}@example.com` : undefined;
  const res = await fetch(`${baseURL}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": nextAddress() },
    body: JSON.stringify({ username, password: GOOD_PASSWORD, ...(email ? { email } : {}) }),
  });
  const body = (await res.json()) as { user?: { id: string } };
  if (res.status !== 201 || !body.user) throw new Error(`register failed: ${res.status} ${JSON.stringify(body)}`);
  return { id: body.user.id, username, password: GOOD_PASSWORD, role: "user", ...(email ? { email } : {}) };
}

export async function createAdmin(prefix = "adm"): Promise<TestUser> {
  const { databaseUrl, keys } = serverEnv();
  const username = uniqueName(prefix);
  const out = await runCli(
    { db: { url: databaseUrl }, keys },
    ["create", "--username", username, "--role", "admin", "--password-stdin"],
    GOOD_PASSWORD,
  );
  const id = /created \S+ \(admin\) (\S+)/.exec(out.stdout)?.[1];
  if (out.code !== 0 || !id) throw new Error(`user create failed (${out.code}): ${out.stdout} ${out.stderr}`);
  return { id, username, password: GOOD_PASSWORD, role: "admin" };
}

/** Signs a browser context in through the JSON API (the context keeps the cookies). */
export async function signInApi(context: BrowserContext, user: TestUser): Promise<void> {
  const { baseURL } = serverEnv();
  const res = await context.request.post("/api/auth/login", {
    data: { username: user.username, password: user.password },
    headers: { origin: baseURL },
  });
  if (res.status() !== 200) throw new Error(`login failed: ${res.status()} ${await res.text()}`);
}

/** A cookie-authenticated write from the context, with the Origin a browser would send. */
export function sameOrigin(): Record<string, string> {
  return { origin: serverEnv().baseURL };
}
