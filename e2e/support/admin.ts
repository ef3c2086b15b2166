// Helpers for the admin console specs: many accounts sharing a search prefix, and the
// "Confirm it's you" step an admin action may ask for.
import { expect, type Page } from "@playwright/test";
import { uniqueName } from "../../test/support/client";
import { registerUser, type TestUser } from "./users";

/**
 * `count` accounts whose usernames all start with one fresh prefix (returned with them), created
 * a few at a time; the last one is created after all the others, so it is the newest.
 */
export async function registerUsersWithPrefix(count: number, tag = "p"): Promise<{ prefix: string; users: TestUser[] }> {
  // Short enough that each username still ends with its own unique part within 32 characters.
  const prefix = uniqueName(tag).slice(0, 14);
  const users: TestUser[] = [];
  for (let i = 0; i < count - 1; i += 6) {
    users.push(...(await Promise.all(Array.from({ length: Math.min(6, count - 1 - i) }, () => registerUser(prefix)))));
  }
  users.push(await registerUser(prefix));
  return { prefix, users };
}

/**
 * Waits for `done` after an action that may need fresh authentication: when the "Confirm it's
 * you" dialog opens instead, enters the password and waits again.
 */
export async function confirmItsYouIfAsked(page: Page, password: string, done: () => Promise<unknown>): Promise<void> {
  const dialog = page.getByRole("dialog", { name: "Confirm it’s you" });
  const asked = await Promise.race([
    dialog.waitFor({ state: "visible" }).then(
      () => true,
      () => false,
    ),
    done().then(
      () => false,
      () => false,
    ),
  ]);
  if (asked) {
    await dialog.getByLabel("Password", { exact: true }).fill(password);
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await expect(dialog).toBeHidden();
  }
  await done();
}

/** Presses Tab until `isTarget` holds for the focused element; fails after `max` presses. */
export async function tabTo(page: Page, isTarget: () => Promise<boolean>, max = 250): Promise<void> {
  for (let presses = 0; presses < max; presses++) {
    if (await isTarget()) return;
    await page.keyboard.press("Tab");
  }
  expect(await isTarget(), `not reached with ${max} Tab presses`).toBe(true);
}
