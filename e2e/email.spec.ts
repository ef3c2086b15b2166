// Mail flows as a person meets them: "Forgot password?", the pages mailed links open (which act
// only on a button press, keep their token out of the address bar and out of every Referer), the
// account page's email section, and two full round trips through real mail (the global setup's
// SMTP sink, e2e/support/mail.ts).
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { uniqueName } from "../test/support/client";
import { expect, test } from "./support/fixtures";
import { mailLink, waitForMail } from "./support/mail";
import { expectGreeting, fillLogin, formAlert, signInThroughForm, waitForHydration } from "./support/pages";
import { registerUser, signInApi } from "./support/users";

const NEW_PASSWORD = "lantern gravel whistles over copper meadows";
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const EXPIRED = "This link has expired or was already used";
// Policies under which a Referer carries at most the origin, never a path or token (SPEC "Mail").
// The reset pages use strict-origin: under no-referrer Chromium posts a form with "Origin: null",
// which Next refuses as a server action, so the page would not work without JavaScript.
const TOKEN_SAFE_POLICY = /^(no-referrer|strict-origin)$/;

function heading(page: Page, name: string | RegExp) {
  return page.getByRole("heading", { level: 1, name });
}

function emailCard(page: Page) {
  return page.getByRole("region", { name: "Email", exact: true });
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }))).toEqual([]);
}

test("the login page links to /forgot-password, after the password in the tab order", async ({ page }) => {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("Password", { exact: true }).focus();
  await page.keyboard.press("Tab");
  const link = page.getByRole("link", { name: "Forgot password?" });
  await expect(link).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expect(heading(page, "Forgot your password?")).toBeVisible();
});

test("asking for a reset link shows the check-your-email state, the same for an unknown account", async ({ page }) => {
  await page.goto("/forgot-password");
  await waitForHydration(page);
  let sent = 0;
  page.on("request", (r) => void (r.url().endsWith("/api/auth/password/forgot") && sent++));

  // Checked before anything is sent.
  await page.getByRole("button", { name: "Send reset link" }).click();
  const field = page.getByLabel("Username or email");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toBeFocused();
  await expect(page.getByText("Enter your username or email.")).toBeVisible();
  expect(sent).toBe(0);

  await field.fill(uniqueName("nobody"));
  const reply = page.waitForResponse((r) => r.url().endsWith("/api/auth/password/forgot"));
  await page.getByRole("button", { name: "Send reset link" }).click();
  expect((await reply).status()).toBe(202);

  await expect(heading(page, "Check your email")).toBeFocused();
  await expect(
    page.getByText("If that account exists and has an email address, a link to reset its password is on its way."),
  ).toBeVisible();
  await expect(page.getByRole("textbox")).toHaveCount(0);
  await page.getByRole("link", { name: "Back to sign in" }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test("a reset link that is bogus or missing shows the expired state, and no Referer can carry the token", async ({ page }) => {
  const res = await page.goto("/reset-password?token=bogus-token-from-nowhere");
  expect(res?.status()).toBe(200);
  expect(res?.headers()["referrer-policy"]).toMatch(TOKEN_SAFE_POLICY);
  await waitForHydration(page);
  // Opening the link only renders the form; the token leaves the address bar at once.
  await expect(heading(page, "Choose a new password")).toBeVisible();
  await expect(page).toHaveURL(/\/reset-password$/);
  await expect(page.locator('input[type="hidden"][name="token"]')).toHaveValue("bogus-token-from-nowhere");

  await page.getByLabel("New password").fill(NEW_PASSWORD);
  const reply = page.waitForResponse((r) => r.url().endsWith("/api/auth/password/reset"));
  await page.getByRole("button", { name: "Set new password" }).click();
  expect((await reply).status()).toBe(400);
  await expect(heading(page, EXPIRED)).toBeFocused();
  await expect(page.getByRole("link", { name: "Ask for a new link" })).toHaveAttribute("href", "/forgot-password");

  await page.goto("/reset-password");
  await expect(heading(page, EXPIRED)).toBeVisible();
  await expect(page.getByLabel("New password")).toHaveCount(0);
});

test("no Referer from a page a mailed link opens, or /forgot-password, can carry its path", async ({ request }) => {
  for (const path of ["/forgot-password", "/reset-password?token=x", "/verify-email?token=x", "/confirm-email?token=x"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    expect(res.headers()["referrer-policy"], path).toMatch(TOKEN_SAFE_POLICY);
  }
  // Other pages keep the server's default.
  expect((await request.get("/login")).headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
});

test("a new password is checked before sending, with the sign-up hints", async ({ page }) => {
  await page.goto("/reset-password?token=x");
  await waitForHydration(page);
  let sent = 0;
  page.on("request", (r) => void (r.url().endsWith("/api/auth/password/reset") && sent++));
  const password = page.getByLabel("New password");
  await password.fill("too short");
  await expect(page.getByText("(9 so far)")).toBeVisible();
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(password).toBeFocused();
  await expect(page.getByText(/^Password must be at least \d+ characters\.$/)).toBeVisible();
  await page.getByLabel("Show password").check();
  await expect(password).toHaveAttribute("type", "text");
  expect(sent).toBe(0);
});

test("verify and confirm links do nothing until the button is pressed; a bogus one says what to do", async ({ page }) => {
  for (const { path, button } of [
    { path: "/verify-email", button: "Confirm my email address" },
    { path: "/confirm-email", button: "Use this email address" },
  ]) {
    const res = await page.goto(`${path}?token=not-a-real-token`);
    expect(res?.headers()["referrer-policy"]).toMatch(TOKEN_SAFE_POLICY);
    await waitForHydration(page);
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    const reply = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/api/auth/email/"));
    await page.getByRole("button", { name: button }).click();
    expect((await reply).status()).toBe(400);
    await expect(heading(page, EXPIRED)).toBeFocused();
    await expect(page.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login?next=%2Faccount");
  }
});

test("the account page shows the email address and whether it is confirmed", async ({ page, context }) => {
  const user = await registerUser("em", { withEmail: true });
  await signInApi(context, user);
  await page.goto("/account");
  const card = emailCard(page);
  await expect(card.getByText(user.email as string, { exact: true })).toBeVisible();
  await expect(card.getByText("Not confirmed")).toBeVisible();
  await expect(card.getByRole("button", { name: "Send a new confirmation link" })).toBeVisible();
  await expect(card.getByRole("form", { name: "Change email address" })).toBeVisible();
});

test("an account without an email can add one from the account page", async ({ page, context, user }) => {
  await signInApi(context, user);
  await page.goto("/account");
  const card = emailCard(page);
  await expect(card.getByText("Your account has no email address.")).toBeVisible();
  await expect(card.getByRole("button", { name: "Send a new confirmation link" })).toHaveCount(0);
  const form = card.getByRole("form", { name: "Add an email address" });
  await waitForHydration(page);

  // A wrong password is refused under the password, and nothing is asked of the email endpoint.
  let changes = 0;
  page.on("request", (r) => void (r.url().endsWith("/api/account/email") && changes++));
  const address = `${user.username}@example.com`;
  await form.getByLabel("New email address").fill(address);
  await form.getByLabel("Current password").fill("not my password at all");
  await form.getByRole("button", { name: "Add email address" }).click();
  const password = form.getByLabel("Current password");
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(password).toBeFocused();
  await expect(form.getByText("The password is incorrect.")).toBeVisible();
  expect(changes).toBe(0);

  await password.fill(user.password);
  await form.getByRole("button", { name: "Add email address" }).click();
  await expect(form.getByRole("status")).toHaveText(new RegExp(`^Check ${address.replaceAll(".", "\\.")} for a confirmation link\\.`));
  await waitForMail(address, "Confirm your new email address for Latchkey");
});

test("an address already in use is refused on the email field", async ({ page, context, user }) => {
  const other = await registerUser("taken", { withEmail: true });
  await signInApi(context, user);
  await page.goto("/account");
  await waitForHydration(page);
  const form = emailCard(page).getByRole("form", { name: "Add an email address" });
  await form.getByLabel("New email address").fill(other.email as string);
  await form.getByLabel("Current password").fill(user.password);
  await form.getByRole("button", { name: "Add email address" }).click();
  const email = form.getByLabel("New email address");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("That email address is already in use.")).toBeVisible();
});

test("forgot → mail → reset → sign in with the new password", async ({ page }) => {
  const user = await registerUser("rt", { withEmail: true });
  const email = user.email as string;

  await page.goto("/forgot-password");
  await waitForHydration(page);
  await page.getByLabel("Username or email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(heading(page, "Check your email")).toBeVisible();

  const mail = await waitForMail(email, "Reset your Latchkey password");
  const link = mailLink(mail, "/reset-password");
  await page.goto(link);
  await waitForHydration(page);
  await expect(page).toHaveURL(/\/reset-password$/);
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();

  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.locator("form").getByRole("status")).toHaveText("Your password was changed. Sign in with the new one.");
  // The old password is gone.
  await fillLogin(page, user.username, user.password);
  await expect(formAlert(page)).toHaveText("The username or password is incorrect.");
  await fillLogin(page, user.username, NEW_PASSWORD);
  await expectGreeting(page, user.username);
  await waitForMail(email, "Your Latchkey password was changed");

  // The link worked once.
  await page.goto(link);
  await waitForHydration(page);
  await page.getByLabel("New password").fill(`${NEW_PASSWORD} again`);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(heading(page, EXPIRED)).toBeVisible();
});

test("confirming the email address from the account page", async ({ page }) => {
  const user = await registerUser("vf", { withEmail: true });
  const email = user.email as string;
  // Sign-up mailed the first link; the button asks for a second, which voids the first.
  await waitForMail(email, "Confirm your email address for Latchkey");
  await signInThroughForm(page, user, "/account");
  await waitForHydration(page);
  const card = emailCard(page);
  await card.getByRole("button", { name: "Send a new confirmation link" }).click();
  await expect(card.getByRole("status").filter({ hasText: /on its way/ })).toHaveText(
    `A new confirmation link is on its way to ${email}. It works once, for 24 hours.`,
  );

  const mail = await waitForMail(email, "Confirm your email address for Latchkey", { count: 2 });
  await page.goto(mailLink(mail, "/verify-email"));
  await waitForHydration(page);
  await expect(page).toHaveURL(/\/verify-email$/);
  await expect(heading(page, "Confirm your email address")).toBeVisible();
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(heading(page, "Your email address is confirmed")).toBeFocused();
  await expect(page.getByText(email)).toBeVisible();

  await page.getByRole("link", { name: "Go to your account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(card.getByText("Confirmed", { exact: true })).toBeVisible();
  await expect(card.getByRole("button", { name: "Send a new confirmation link" })).toHaveCount(0);
});

test("changing the email address takes effect when the link sent to the new one is used", async ({ page, context }) => {
  const user = await registerUser("ch", { withEmail: true });
  const newAddress = `new-${user.username}@example.com`;
  await signInApi(context, user);
  await page.goto("/account");
  await waitForHydration(page);
  const form = emailCard(page).getByRole("form", { name: "Change email address" });
  await form.getByLabel("New email address").fill(newAddress);
  await form.getByLabel("Current password").fill(user.password);
  await form.getByRole("button", { name: "Change email address" }).click();
  await expect(form.getByRole("status")).toContainText(`Check ${newAddress} for a confirmation link.`);
  await expect(form.getByLabel("Current password")).toHaveValue("");
  await waitForMail(user.email as string, "Your Latchkey email address is about to change");

  const mail = await waitForMail(newAddress, "Confirm your new email address for Latchkey");
  await page.goto(mailLink(mail, "/confirm-email"));
  await waitForHydration(page);
  await page.getByRole("button", { name: "Use this email address" }).click();
  await expect(heading(page, "Your email address is confirmed")).toBeVisible();
  await expect(page.getByText(newAddress)).toBeVisible();
  await page.getByRole("link", { name: "Go to your account" }).click();
  const card = emailCard(page);
  await expect(card.getByText(newAddress, { exact: true })).toBeVisible();
  await expect(card.getByText("Confirmed", { exact: true })).toBeVisible();
});

for (const width of [1280, 390]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 844 } });

    async function expectFits(page: Page): Promise<void> {
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        screen: document.documentElement.clientWidth,
      }));
      expect(widths.page, "page wider than the screen").toBeLessThanOrEqual(widths.screen);
    }

    test("the mail pages and their states have no WCAG 2.2 AA violations and fit the screen", async ({ page }) => {
      await page.goto("/forgot-password");
      await waitForHydration(page);
      await expectNoAxeViolations(page);
      await expectFits(page);
      await page.getByLabel("Username or email").fill(uniqueName("somebody"));
      await page.getByRole("button", { name: "Send reset link" }).click();
      await expect(heading(page, "Check your email")).toBeVisible();
      await expectNoAxeViolations(page);

      await page.goto("/reset-password?token=x");
      await waitForHydration(page);
      await page.getByRole("button", { name: "Set new password" }).click();
      await expect(page.getByLabel("New password")).toHaveAttribute("aria-invalid", "true");
      await expectNoAxeViolations(page);
      await expectFits(page);
      await page.getByLabel("New password").fill(NEW_PASSWORD);
      await page.getByRole("button", { name: "Set new password" }).click();
      await expect(heading(page, EXPIRED)).toBeVisible();
      await expectNoAxeViolations(page);

      for (const path of ["/verify-email?token=x", "/confirm-email?token=x"]) {
        await page.goto(path);
        await waitForHydration(page);
        await expectNoAxeViolations(page);
        await expectFits(page);
      }
    });

    test("the account page's email section has no WCAG 2.2 AA violations and fits the screen", async ({ page, context }) => {
      await signInApi(context, await registerUser("ax", { longest: true, withEmail: true }));
      await page.goto("/account");
      await waitForHydration(page);
      // The longest username makes the longest address: the messages that repeat it must wrap.
      const card = emailCard(page);
      await card.getByRole("button", { name: "Send a new confirmation link" }).click();
      await expect(card.getByRole("status").filter({ hasText: /on its way/ })).toBeVisible();
      const form = card.getByRole("form", { name: "Change email address" });
      await form.getByRole("button", { name: "Change email address" }).click();
      await expect(form.getByLabel("New email address")).toHaveAttribute("aria-invalid", "true");
      await expectNoAxeViolations(page);
      await expectFits(page);
    });
  });
}
