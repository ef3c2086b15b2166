// Full-page screenshots of every main page at a desktop and a phone width, for a person to look
// at. Runs only with E2E_SHOTS_DIR set (the "screenshots" project in playwright.config.ts).
// With E2E_SHOTS_SET=readme it takes the README's pictures instead (`npm run screenshots`).
import path from "node:path";
import type { Page } from "@playwright/test";
import { uniqueName } from "../test/support/client";
import { expect, test } from "./support/fixtures";
import { MAIN_PAGES } from "./support/main-pages";
import { waitForHydration } from "./support/pages";
import { readmeShots } from "./support/readme-shots";
import { registerUser, signInApi } from "./support/users";

const h1 = (page: Page, name: string) => expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

/** The mail pages and the states a person reaches on them (anonymous unless `setUp` signs in). */
const MAIL_SHOTS: { name: string; show: (page: Page) => Promise<void> }[] = [
  { name: "forgot-password", show: async (page) => (await page.goto("/forgot-password"), h1(page, "Forgot your password?")) },
  {
    name: "forgot-password-sent",
    show: async (page) => {
      await page.goto("/forgot-password");
      await waitForHydration(page);
      await page.getByLabel("Username or email").fill(uniqueName("shot"));
      await page.getByRole("button", { name: "Send reset link" }).click();
      await h1(page, "Check your email");
    },
  },
  {
    name: "reset-password",
    show: async (page) => {
      await page.goto("/reset-password?token=x");
      await waitForHydration(page);
      await page.getByLabel("New password").fill("too short");
      await page.getByRole("button", { name: "Set new password" }).click();
      await expect(page.getByLabel("New password")).toHaveAttribute("aria-invalid", "true");
    },
  },
  {
    name: "reset-password-invalid",
    show: async (page) => (await page.goto("/reset-password"), h1(page, "This link has expired or was already used")),
  },
  { name: "verify-email", show: async (page) => (await page.goto("/verify-email?token=x"), h1(page, "Confirm your email address")) },
  { name: "login-after-reset", show: async (page) => (await page.goto("/login?reset=1"), h1(page, "Sign in to Latchkey")) },
  {
    name: "login-email-unverified",
    show: async (page) => {
      // EMAIL_VERIFICATION=required is not the suite's setting: the answer is staged.
      const body = { code: "email_unverified", message: "Confirm your email address before signing in. We sent you a new link." };
      await page.route("**/api/auth/login", (route) => route.fulfill({ status: 403, json: body }));
      await page.goto("/login");
      await waitForHydration(page);
      await page.getByLabel("Username or email").fill("someone");
      await page.getByLabel("Password", { exact: true }).fill("a password");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.getByText("Check your email")).toBeVisible();
    },
  },
  {
    name: "account-email",
    show: async (page) => {
      await signInApi(page.context(), await registerUser("shot", { longest: true, withEmail: true }));
      await page.goto("/account");
      await waitForHydration(page);
      const card = page.getByRole("region", { name: "Email", exact: true });
      await card.getByRole("button", { name: "Send a new confirmation link" }).click();
      await expect(card.getByRole("status").filter({ hasText: /on its way/ })).toBeVisible();
    },
  },
];

const SIZES = [
  { label: "1280", viewport: { width: 1280, height: 800 } },
  { label: "390", viewport: { width: 390, height: 844 } },
];

if (process.env.E2E_SHOTS_SET === "readme") readmeShots(process.env.E2E_SHOTS_DIR ?? "");
else allShots();

function allShots() {
  for (const size of SIZES) {
    test.describe(`at ${size.label}px`, () => {
      test.use({ viewport: size.viewport });
      for (const main of MAIN_PAGES) {
        test(`${main.name}`, async ({ page, context, admin }) => {
          // The longest username allowed, so the shots show how names wrap.
          if (main.viewer === "user") await signInApi(context, await registerUser("shot", { longest: true }));
          if (main.viewer === "admin") await signInApi(context, admin);
          const res = await page.goto(main.path);
          expect(res?.status()).toBe(main.status ?? 200);
          await main.ready(page);
          await page.screenshot({ path: path.join(process.env.E2E_SHOTS_DIR ?? "", `${main.name}-${size.label}.png`), fullPage: true });
        });
      }
      for (const shot of MAIL_SHOTS) {
        test(shot.name, async ({ page }) => {
          await shot.show(page);
          await page.screenshot({ path: path.join(process.env.E2E_SHOTS_DIR ?? "", `${shot.name}-${size.label}.png`), fullPage: true });
        });
      }
    });
  }
}
