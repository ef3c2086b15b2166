// What a person does on the sign-in page, and what they see once in.
import { type APIRequestContext, type APIResponse, expect, type Page } from "@playwright/test";
import type { TestUser } from "./users";

/**
 * Waits until React has hydrated the page (Next's route announcer exists only then). A click
 * before that lands on server-rendered HTML with no handlers, which busy CI machines do hit.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.querySelector("next-route-announcer") !== null)).toBe(true);
}

export async function fillLogin(page: Page, username: string, password: string): Promise<void> {
  await waitForHydration(page);
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs in on /login (optionally with ?next=) and waits until the form has navigated away. */
export async function signInThroughForm(page: Page, user: TestUser, next?: string): Promise<void> {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
  await fillLogin(page, user.username, user.password);
  await expect(page).not.toHaveURL(/\/login/);
  // Signing in loads the next page afresh (window.location): a form used before it hydrates is
  // posted without JavaScript, which answers differently (no focus moved to a refused field).
  await waitForHydration(page);
}

export async function expectGreeting(page: Page, username: string): Promise<void> {
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${username}` })).toBeVisible();
}

/** The login form's own alert (Next's route announcer is an alert too). */
export function formAlert(page: Page) {
  return page.locator("form").getByRole("alert");
}

/**
 * A GET from the context's API client, retried once on a reset connection: Playwright reuses
 * kept-alive sockets, and one the server closes after its 5 s idle timeout just as a request
 * leaves fails with ECONNRESET (browsers retry idempotent requests there themselves).
 */
export async function apiGet(request: APIRequestContext, path: string): Promise<APIResponse> {
  try {
    return await request.get(path);
  } catch (error) {
    if (!String(error).includes("ECONNRESET")) throw error;
    return request.get(path);
  }
}

/** /api/me from the page's cookies: the server's own view of whether this browser is signed in. */
export async function meStatus(page: Page): Promise<number> {
  return (await apiGet(page.request, "/api/me")).status();
}
