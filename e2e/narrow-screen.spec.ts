// Every page on a phone screen. At 390 px, every main page signed in with a 32-character username
// (the longest allowed): nothing may widen the page past the screen, and axe must still find no
// violations (e.g. a table that scrolls sideways must be reachable by keyboard). At 320 px (the
// narrowest screen WCAG's reflow asks for), every page signed out, as a user and as an admin:
// no sideways scroll, and every admin action on the users list and a user's page reachable.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { MAIN_PAGES, type Viewer } from "./support/main-pages";
import { controlsOutOfReach, expectNoHorizontalOverflow, expectReachable, textSpilling } from "./support/narrow";
import { registerUser, signInApi, type TestUser } from "./support/users";

test.describe("at 390 px", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  for (const main of MAIN_PAGES) {
    test(`${main.name} page fits a 390 px screen`, async ({ page, context, admin }) => {
      if (main.viewer === "user") await signInApi(context, await registerUser("long", { longest: true }));
      if (main.viewer === "admin") await signInApi(context, admin);
      const res = await page.goto(main.path);
      expect(res?.status()).toBe(main.status ?? 200);
      await main.ready(page);

      await expectNoHorizontalOverflow(page, main.name);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
      expect(results.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) }))).toEqual([]);
    });
  }
});

const h1 = (name: string | RegExp) => async (page: Page) => {
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
};

type NarrowPage = {
  name: string;
  path: string | ((target: TestUser) => string);
  viewer: Viewer;
  status?: number;
  ready: (page: Page) => Promise<void>;
};

const NOT_FOUND = /not found|can.t find|doesn.t exist/i;

/** The pages MAIN_PAGES leaves out: the mail pages, a user's admin page, and the status pages for each viewer. */
const MORE_PAGES: NarrowPage[] = [
  { name: "forgot-password", path: "/forgot-password", viewer: "anonymous", ready: h1("Forgot your password?") },
  { name: "reset-password", path: "/reset-password?token=x", viewer: "anonymous", ready: h1(/new password/i) },
  { name: "reset-password-invalid", path: "/reset-password", viewer: "anonymous", ready: h1("This link has expired or was already used") },
  { name: "verify-email", path: "/verify-email?token=x", viewer: "anonymous", ready: h1("Confirm your email address") },
  {
    name: "admin-user",
    path: (target) => `/admin/users/${encodeURIComponent(target.id)}`,
    viewer: "admin",
    ready: async (page) => {
      await expect(page.getByRole("button", { name: "Send password reset" })).toBeVisible();
    },
  },
  { name: "404-signed-out", path: "/no-such-page", viewer: "anonymous", status: 404, ready: h1(NOT_FOUND) },
  { name: "404-user", path: "/no-such-page", viewer: "user", status: 404, ready: h1(NOT_FOUND) },
  { name: "404-admin", path: "/no-such-page", viewer: "admin", status: 404, ready: h1(NOT_FOUND) },
  { name: "403-signed-out", path: "/403", viewer: "anonymous", status: 403, ready: h1("You don't have access to this page") },
];

test.describe("at 320 px", () => {
  test.use({ viewport: { width: 320, height: 640 } });

  const pages: NarrowPage[] = [...MAIN_PAGES, ...MORE_PAGES];
  for (const p of pages) {
    test(`${p.name} has no sideways scroll at 320 px`, async ({ page, context, admin }) => {
      const target = await registerUser("narrow", { longest: true, withEmail: true });
      if (p.viewer === "user") await signInApi(context, target);
      if (p.viewer === "admin") await signInApi(context, admin);
      const res = await page.goto(typeof p.path === "string" ? p.path : p.path(target));
      expect(res?.status()).toBe(p.status ?? 200);
      await p.ready(page);
      await expectNoHorizontalOverflow(page, p.name);
      expect(await controlsOutOfReach(page.locator("body")), "controls beyond the screen's edge").toEqual([]);
      expect(await textSpilling(page.locator("main")), "text running out of its box").toEqual([]);
    });
  }

  test("every action on the users list is reachable at 320 px", async ({ page, context, admin }) => {
    const target = await registerUser("narrow", { longest: true, withEmail: true });
    await signInApi(context, admin);
    await page.goto(`/admin?q=${encodeURIComponent(target.username)}`);
    await expect(page.getByText(/1 user on page 1/)).toBeVisible();
    const name = target.username;
    await expectReachable(page.getByRole("link", { name, exact: true }));
    await expectReachable(page.getByLabel(`Role for ${name}`));
    for (const action of [`Disable ${name}`, `Revoke sessions of ${name}`, `Reset second factors ${name}`, `Delete ${name}`]) {
      await expectReachable(page.getByRole("button", { name: action, exact: true }));
    }
    // Changing the role shows its Save button, which must fit too.
    await page.getByLabel(`Role for ${name}`).selectOption("admin");
    await expectReachable(page.getByRole("button", { name: `Save role ${name}`, exact: true }));
    expect(await controlsOutOfReach(page.locator("main")), "controls beyond the screen's edge").toEqual([]);
    await expectNoHorizontalOverflow(page, "users list");

    // The admin's own row: revoking is there, disabling and deleting themself are not offered.
    await page.goto(`/admin?q=${encodeURIComponent(admin.username)}`);
    await expect(page.getByText(/1 user on page 1/)).toBeVisible();
    await expectReachable(page.getByRole("button", { name: `Revoke sessions of ${admin.username}`, exact: true }));
    await expect(page.getByRole("button", { name: `Disable ${admin.username}`, exact: true })).toHaveCount(0);
    await expect(page.getByRole("button", { name: `Delete ${admin.username}`, exact: true })).toHaveCount(0);
  });

  test("every action on a user's page is reachable at 320 px", async ({ page, context, admin }) => {
    const target = await registerUser("narrow", { longest: true, withEmail: true });
    await signInApi(context, admin);
    await page.goto(`/admin/users/${encodeURIComponent(target.id)}`);
    await expectReachable(page.getByLabel(`Role for ${target.username}`));
    for (const action of [/^Change role$/, /^Disable account$/, /^Send password reset$/, /^Impersonate\b/, /^Delete account/]) {
      await expectReachable(page.getByRole("button", { name: action }));
    }
    expect(await controlsOutOfReach(page.locator("main")), "controls beyond the screen's edge").toEqual([]);
    await expectNoHorizontalOverflow(page, "user page");
  });
});
