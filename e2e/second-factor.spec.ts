// Two-factor authentication as a person meets it: setting up an authenticator app on the account
// page (QR code, setup key, first code, recovery codes shown once), the login page's second step
// with a code and with a recovery code, the "Confirm it's you" dialog, and an admin resetting
// someone's second factors. Codes are computed here from the setup key the page shows.
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { BrowserContext, Page } from "@playwright/test";
import { generateSync } from "otplib";
import { expect, test } from "./support/fixtures";
import { waitForMail } from "./support/mail";
import { fillLogin, formAlert, meStatus, signInThroughForm, waitForHydration } from "./support/pages";
import { registerUser, sameOrigin, signInApi, type TestUser } from "./support/users";

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const PERIOD_SECONDS = 30;

const currentStep = () => Math.floor(Date.now() / 1000 / PERIOD_SECONDS);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An authenticator app. The server accepts a code once, from the current 30-second step or one
 * step either side (SPEC "TOTP"), and only from a later step than the last code it took. So the
 * next code is the current step's, or the next step's when the current one was used, and only
 * when both were used does it wait for time to move on.
 */
class Authenticator {
  private lastStep = Number.NEGATIVE_INFINITY;
  constructor(readonly secret: string) {}

  codeFor(step: number): string {
    return generateSync({ secret: this.secret, epoch: step * PERIOD_SECONDS });
  }

  async nextCode(): Promise<string> {
    const step = Math.max(currentStep(), this.lastStep + 1);
    while (step > currentStep() + 1) await sleep(250);
    this.lastStep = step;
    return this.codeFor(step);
  }

  /** Six digits that are none of the codes the server would accept now. */
  wrongCode(): string {
    const now = currentStep();
    const valid = new Set([now - 1, now, now + 1, now + 2].map((s) => this.codeFor(s)));
    for (let n = 0; ; n++) {
      const candidate = String(n).padStart(6, "0");
      if (!valid.has(candidate)) return candidate;
    }
  }
}

function securityCard(page: Page) {
  return page.getByRole("region", { name: "Two-factor authentication" });
}

function stepUpDialog(page: Page) {
  return page.getByRole("dialog", { name: "Confirm it’s you" });
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }))).toEqual([]);
}

async function signOutOnPage(page: Page): Promise<void> {
  await waitForHydration(page);
  await page.getByRole("banner").getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login\?ended=signed_out$/);
}

/** Turns the app on through the API from `context`, which stays signed in (a fresh session). */
async function enrolThroughApi(context: BrowserContext, user: TestUser): Promise<{ app: Authenticator; codes: string[] }> {
  await signInApi(context, user);
  const start = await context.request.post("/api/account/totp", { headers: sameOrigin() });
  expect(start.status()).toBe(200);
  const app = new Authenticator(((await start.json()) as { secret: string }).secret);
  const confirm = await context.request.post("/api/account/totp/confirm", { data: { code: await app.nextCode() }, headers: sameOrigin() });
  expect(confirm.status()).toBe(200);
  return { app, codes: ((await confirm.json()) as { recovery_codes: string[] }).recovery_codes };
}

/** A whole sign-in through the API with a recovery code (spends it). */
async function signInWithRecoveryCode(context: BrowserContext, user: TestUser, recoveryCode: string): Promise<void> {
  const first = await context.request.post("/api/auth/login", {
    data: { username: user.username, password: user.password },
    headers: sameOrigin(),
  });
  expect(first.status()).toBe(401);
  const { challenge } = (await first.json()) as { challenge: string };
  const second = await context.request.post("/api/auth/login/second-factor", {
    data: { challenge, recovery_code: recoveryCode },
    headers: sameOrigin(),
  });
  expect(second.status()).toBe(200);
}

test("set up an authenticator app, then sign in with a code and with a recovery code, then turn it off", async ({ page, user }) => {
  test.setTimeout(120_000);
  await signInThroughForm(page, user, "/account");
  await waitForHydration(page);
  const card = securityCard(page);
  await expect(card.getByText("Off", { exact: true })).toBeVisible();

  // A sign-in is fresh: no "Confirm it's you" on the way.
  await card.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(card.getByRole("heading", { name: "Set up your authenticator app" })).toBeFocused();
  await expect(stepUpDialog(page)).toBeHidden();
  const qr = card.getByRole("img", { name: /^QR code to scan with your authenticator app/ });
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml;/);
  const shownKey = (await card.locator("code").textContent()) ?? "";
  expect(shownKey).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/); // grouped by four for typing
  const app = new Authenticator(shownKey.replace(/\s+/g, ""));
  await expectNoAxeViolations(page);

  // A code of the wrong shape is refused before it is sent.
  const codeField = card.getByLabel("Code from the app");
  await expect(codeField).toHaveAttribute("inputmode", "numeric");
  await expect(codeField).toHaveAttribute("autocomplete", "one-time-code");
  await codeField.fill("12345");
  await card.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(codeField).toHaveAttribute("aria-invalid", "true");
  await expect(codeField).toBeFocused();
  // A wrong code: the server's answer, under the field.
  await codeField.fill(app.wrongCode());
  const wrong = page.waitForResponse((r) => r.url().endsWith("/api/account/totp/confirm"));
  await card.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  expect((await wrong).status()).toBe(422);
  await expect(card.getByText("That code is not right. Enter the current one.")).toBeVisible();
  await expect(codeField).toBeFocused();

  await codeField.fill(await app.nextCode());
  await card.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(card.getByRole("heading", { name: "Save your recovery codes" })).toBeFocused();
  const codes = await card.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allTextContents();
  expect(codes).toHaveLength(10);
  for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  await expectNoAxeViolations(page);

  const download = page.waitForEvent("download");
  await card.getByRole("button", { name: "Download .txt" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("latchkey-recovery-codes.txt");
  const text = readFileSync(await file.path(), "utf8");
  for (const code of codes) expect(text).toContain(code);

  // Done asks for the box first.
  const saved = card.getByLabel("I have saved these codes");
  await card.getByRole("button", { name: "Done" }).click();
  await expect(saved).toBeFocused();
  await expect(saved).toHaveAttribute("aria-invalid", "true");
  await saved.check();
  await card.getByRole("button", { name: "Done" }).click();
  await expect(card.getByRole("status").filter({ hasText: "Two-factor authentication is on." })).toBeVisible();
  await expect(card.getByText("On", { exact: true })).toBeVisible();
  await expect(card.getByRole("list", { name: "Recovery codes" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Get new recovery codes" })).toBeFocused();

  // Signing in now takes a code.
  await signOutOnPage(page);
  const login = page.waitForResponse((r) => r.url().endsWith("/api/auth/login"));
  await fillLogin(page, user.username, user.password);
  expect((await login).status()).toBe(401);
  const authCode = page.getByLabel("Authentication code");
  await expect(authCode).toBeFocused();
  await expect(authCode).toHaveAttribute("inputmode", "numeric");
  await expect(authCode).toHaveAttribute("autocomplete", "one-time-code");
  await expect(page.getByText("Enter the 6-digit code from your authenticator app.")).toBeVisible();
  await expect(page.getByLabel("Password", { exact: true })).toHaveCount(0);
  expect(await meStatus(page)).toBe(401);

  await authCode.fill(app.wrongCode());
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(authCode).toHaveAttribute("aria-invalid", "true");
  await expect(authCode).toBeFocused();
  await expect(page.getByText("That code is not right, or was already used. Try the current one.")).toBeVisible();
  await authCode.fill(await app.nextCode());
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${user.username}` })).toBeVisible();

  // And with a recovery code instead.
  await signOutOnPage(page);
  await fillLogin(page, user.username, user.password);
  await expect(page.getByLabel("Authentication code")).toBeFocused();
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  const recovery = page.getByLabel("Recovery code");
  await expect(recovery).toBeFocused();
  await recovery.fill((codes[0] ?? "").toUpperCase()); // case does not matter
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // Turning it off, with a confirmation (the sign-in just now is fresh).
  await page.goto("/account");
  await waitForHydration(page);
  await card.getByRole("button", { name: "Turn off", exact: true }).click();
  await expect(
    card.getByRole("group", { name: "Confirm turning off two-factor authentication" }).getByRole("button", { name: "Cancel" }),
  ).toBeFocused();
  await card.getByRole("button", { name: "Turn off two-factor authentication" }).click();
  await expect(card.getByRole("status").filter({ hasText: "Two-factor authentication is off." })).toBeVisible();
  await expect(card.getByRole("button", { name: "Set up an authenticator app" })).toBeFocused();
  await expect(stepUpDialog(page)).toBeHidden();

  await signOutOnPage(page);
  await fillLogin(page, user.username, user.password);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("the code step works with the keyboard alone; too many wrong codes send back to the password", async ({ page, user, newContext }) => {
  test.setTimeout(60_000);
  const { app } = await enrolThroughApi(await newContext(), user);
  await page.goto("/login");
  await fillLogin(page, user.username, user.password);
  const authCode = page.getByLabel("Authentication code");
  await expect(authCode).toBeFocused();

  // Tab order: the field, Verify, the recovery-code switch, Start over.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Verify and sign in" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Use a recovery code instead" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Recovery code")).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Use your authenticator app instead" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(authCode).toBeFocused();

  // Five wrong codes end the challenge: back to the password, the username kept.
  for (let i = 1; i <= 5; i++) {
    // The form empties the field after a wrong code; typing before that would mix two codes.
    await expect(authCode).toHaveValue("");
    await page.keyboard.type(app.wrongCode());
    const reply = page.waitForResponse((r) => r.url().endsWith("/api/auth/login/second-factor"));
    await page.keyboard.press("Enter");
    expect((await reply).status()).toBe(401);
    if (i < 5) await expect(authCode).toBeFocused();
  }
  await expect(formAlert(page)).toHaveText("Too many wrong codes. Sign in again to get a new chance.");
  await expect(page.getByLabel("Password", { exact: true })).toBeFocused();
  await expect(page.getByLabel("Username or email")).toHaveValue(user.username);
  await expect(page.getByLabel("Authentication code")).toHaveCount(0);
  expect(await meStatus(page)).toBe(401);
});

test("the last few recovery codes: the account page says so and gives new ones", async ({ page, user, newContext }) => {
  test.setTimeout(60_000);
  const api = await newContext();
  const { codes } = await enrolThroughApi(api, user);
  // Six of the ten spent elsewhere; the seventh, here, leaves three: few enough to be told.
  for (const code of codes.slice(0, 6)) await signInWithRecoveryCode(api, user, code);

  await page.goto("/login");
  await fillLogin(page, user.username, user.password);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(codes[6] ?? "");
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).toHaveURL(/\/account\?recovery-codes-low=3#security$/);
  const card = securityCard(page);
  await expect(card.getByText("You have 3 recovery codes left")).toBeVisible();
  await expect(card).toBeInViewport();
  await waitForHydration(page);
  await card.getByRole("button", { name: "Get new recovery codes" }).click();
  await expect(card.getByRole("heading", { name: "Save your recovery codes" })).toBeFocused();
  await expect(card.getByText("Your old recovery codes no longer work.", { exact: false })).toBeVisible();
  await expect(card.getByText("You have 3 recovery codes left")).toHaveCount(0);
  await expect(card.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
});

test("“Confirm it's you”: Escape cancels; the password and a code let the action through", async ({ page, context, user }) => {
  test.setTimeout(90_000);
  const { app } = await enrolThroughApi(context, user);
  // REAUTH_TTL is 5 minutes on the e2e server and every sign-in is fresh, so the server's
  // "reauthentication_required" is staged for the first tries; the retry and
  // /api/auth/reauthenticate are real.
  let staged = 0;
  await page.route("**/api/account/recovery-codes", async (route) => {
    if (staged > 0) {
      staged -= 1;
      return route.fulfill({
        status: 403,
        json: { code: "reauthentication_required", message: "Confirm it's you: enter your password again to continue." },
      });
    }
    return route.continue();
  });
  await page.goto("/account");
  await waitForHydration(page);
  const card = securityCard(page);
  const button = card.getByRole("button", { name: "Get new recovery codes" });
  const dialog = stepUpDialog(page);

  staged = 1;
  await button.click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Password", { exact: true })).toBeFocused();
  await expect(dialog.getByLabel("Authentication code")).toBeVisible();
  await expectNoAxeViolations(page);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(button).toBeFocused();
  await expect(card.getByRole("alert")).toHaveText("");
  await expect(card.getByRole("list", { name: "Recovery codes" })).toHaveCount(0);

  // The keyboard path: Enter on the button, type, Tab, type, Enter.
  staged = 1;
  await page.keyboard.press("Enter");
  await expect(dialog.getByLabel("Password", { exact: true })).toBeFocused();
  await page.keyboard.type("not my password, surely");
  await page.keyboard.press("Tab");
  await expect(dialog.getByLabel("Authentication code")).toBeFocused();
  await page.keyboard.type(app.wrongCode());
  const refused = page.waitForResponse((r) => r.url().endsWith("/api/auth/reauthenticate"));
  await page.keyboard.press("Enter");
  expect((await refused).status()).toBe(401);
  const password = dialog.getByLabel("Password", { exact: true });
  await expect(password).toBeFocused();
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByText("The password is incorrect.")).toBeVisible();

  await password.fill(user.password);
  await page.keyboard.press("Tab");
  await page.keyboard.type(await app.nextCode());
  const confirmed = page.waitForResponse((r) => r.url().endsWith("/api/auth/reauthenticate"));
  const retried = page.waitForResponse((r) => r.url().endsWith("/api/account/recovery-codes") && r.status() === 200);
  await page.keyboard.press("Enter");
  expect((await confirmed).status()).toBe(204);
  await retried;
  await expect(dialog).toBeHidden();
  await expect(card.getByRole("heading", { name: "Save your recovery codes" })).toBeFocused();
  await expect(card.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
});

test("an admin resets a user's second factors from the users list", async ({ page, admin, newContext }) => {
  test.setTimeout(60_000);
  const target = await registerUser("tfa", { withEmail: true });
  const targetBrowser = await newContext();
  await enrolThroughApi(targetBrowser, target);

  await signInThroughForm(page, admin, "/admin");
  await waitForHydration(page);
  await page.getByLabel("Search users").fill(target.username);
  await expect(page.getByText("1 user on page 1")).toBeVisible();
  const row = page.getByRole("row").filter({ has: page.getByRole("rowheader").getByRole("link", { name: target.username, exact: true }) });
  // The list shows what stands behind each password.
  await expect(row.getByText("Authenticator app", { exact: true })).toBeVisible();
  await row.getByRole("button", { name: `Reset second factors ${target.username}` }).click();
  const confirm = row.getByRole("group", { name: `Confirm resetting the second factors of ${target.username}` });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await expect(confirm).toContainText(`Remove ${target.username}’s authenticator app, recovery codes and passkeys?`);
  await confirm.getByRole("button", { name: `Reset second factors ${target.username}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `Removed ${target.username}'s authenticator app` })).toBeVisible();
  await expect(row.getByRole("button", { name: `Reset second factors ${target.username}` })).toBeFocused();
  await expect(row.getByText("Password only")).toBeVisible();

  const me = await targetBrowser.request.get("/api/me");
  expect(((await me.json()) as { user: { secondFactors: { totp: boolean } } }).user.secondFactors.totp).toBe(false);
  await waitForMail(target.email ?? "", "An administrator removed your Latchkey second factors");
});
