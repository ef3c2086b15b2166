// No console errors and no uncaught exceptions on the main pages: a CSP that blocked Next's own
// scripts, a hydration mismatch or a failing API call on load would all show up here.
import type { ConsoleMessage } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { MAIN_PAGES } from "./support/main-pages";
import { waitForHydration } from "./support/pages";
import { signInApi } from "./support/users";

for (const main of MAIN_PAGES) {
  test(`${main.name} page logs no console errors`, async ({ page, context, user, admin }) => {
    const errors: string[] = [];
    page.on("console", (message: ConsoleMessage) => {
      if (message.type() !== "error") return;
      // The browser's own note about the document's status is not an error on a page that is
      // meant to answer 403.
      if (main.status && message.text().includes(`status of ${main.status}`)) return;
      errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    if (main.viewer !== "anonymous") await signInApi(context, main.viewer === "admin" ? admin : user);

    const res = await page.goto(main.path);
    expect(res?.status()).toBe(main.status ?? 200);
    await main.ready(page);
    // Hydrated: client components answer (a page whose scripts were blocked stays inert).
    await waitForHydration(page);
    expect(errors).toEqual([]);
  });
}
