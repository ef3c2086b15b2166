// axe-core (WCAG 2.2 AA rule set) on every main page in both colour schemes, and a sign-in done
// with the keyboard alone.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { MAIN_PAGES, type MainPage } from "./support/main-pages";
import { signInApi } from "./support/users";

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const SCHEMES = ["light", "dark"] as const;

const heading = (name: string | RegExp) => async (page: Page) => {
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
};

/** Signed-out pages beyond the main ones: the emailed-link pages and the not-found page. */
const MORE_PAGES: MainPage[] = [
  { name: "forgot-password", path: "/forgot-password", viewer: "anonymous", ready: heading("Forgot your password?") },
  { name: "reset-password", path: "/reset-password?token=x", viewer: "anonymous", ready: heading("Choose a new password") },
  {
    name: "reset-password without a token",
    path: "/reset-password",
    viewer: "anonymous",
    ready: heading("This link has expired or was already used"),
  },
  { name: "verify-email", path: "/verify-email?token=x", viewer: "anonymous", ready: heading("Confirm your email address") },
  { name: "404", path: "/no-such-page", viewer: "anonymous", status: 404, ready: async (page) => expect(page.locator("h1")).toBeVisible() },
];

for (const colorScheme of SCHEMES) {
  test.describe(`${colorScheme} scheme`, () => {
    test.use({ colorScheme });

    for (const main of [...MAIN_PAGES, ...MORE_PAGES]) {
      test(`${main.name} page has no WCAG 2.2 AA violations`, async ({ page, context, user, admin }) => {
        if (main.viewer !== "anonymous") await signInApi(context, main.viewer === "admin" ? admin : user);
        const res = await page.goto(main.path);
        expect(res?.status()).toBe(main.status ?? 200);
        await main.ready(page);
        // The scheme really is the one under test (the palette follows the system setting).
        const dark = await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches);
        expect(dark).toBe(colorScheme === "dark");

        const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
        const violations = results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
        expect(violations).toEqual([]);
      });
    }
  });
}

test("signing in works with the keyboard alone", async ({ page, user }) => {
  await page.goto("/login");
  const focusedName = () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? "");
  // The skip link comes first; a handful of Tabs must reach the username field.
  let presses = 0;
  while ((await focusedName()) !== "username" && presses < 8) {
    await page.keyboard.press("Tab");
    presses++;
  }
  expect(await focusedName()).toBe("username");
  await page.keyboard.type(user.username);
  await page.keyboard.press("Tab");
  expect(await focusedName()).toBe("password");
  await page.keyboard.type(user.password);
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${user.username}` })).toBeVisible();
});

test("the skip link is the first tab stop and moves focus to the main content", async ({ page }) => {
  await page.goto("/login");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});
