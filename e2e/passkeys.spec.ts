// Passkeys in a real browser: Chromium's virtual authenticator (CDP WebAuthn domain) stands in for
// a phone or laptop with a fingerprint reader. WebAuthn refuses IP addresses as relying party ids,
// so the server is reached as http://localhost:PORT (test/support/server.ts). A person adds a
// passkey on the account page, renames it, signs out, and signs in with it without typing a
// username; a removed passkey no longer signs anyone in.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { expectGreeting, signInThroughForm, waitForHydration } from "./support/pages";

/** A platform authenticator with user verification that says yes without a prompt. */
async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
  };
}

const passkeysCard = (page: Page) => page.getByRole("region", { name: "Passkeys" });

test("add a passkey on the account page, then sign in with it and no username", async ({ page, user }) => {
  const authenticator = await addVirtualAuthenticator(page);
  await signInThroughForm(page, user, "/account");
  // A click before React hydrates does nothing: wait for it.
  await waitForHydration(page);
  const card = passkeysCard(page);
  await expect(card.getByText("No passkeys yet.")).toBeVisible();

  await card.getByRole("button", { name: "Add a passkey" }).click();
  await expect(card.getByRole("status")).toHaveText(/^Passkey added as “Passkey on Linux”/);
  const items = card.getByRole("listitem");
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText("Not used yet");
  const [credential] = await authenticator.credentials();
  expect(credential).toMatchObject({ isResidentCredential: true, rpId: "localhost" });
  expect(Buffer.from(credential?.userHandle ?? "", "base64").toString()).toBe(user.id);

  await items
    .first()
    .getByRole("button", { name: /^Rename/ })
    .click();
  const name = card.getByRole("textbox", { name: /^New name for / });
  await expect(name).toBeFocused();
  await name.fill("Test laptop");
  const axe = await new AxeBuilder({ page }).include("#passkeys").withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await card.getByRole("button", { name: "Save" }).click();
  await expect(card.getByRole("status")).toHaveText("Renamed to “Test laptop”.");
  await expect(items.first()).toContainText("Test laptop");

  // The same authenticator again: the browser refuses (the options exclude the passkeys it has).
  await card.getByRole("button", { name: "Add a passkey" }).click();
  await expect(card.getByRole("alert")).toHaveText(/^This device already holds a passkey for your account/);
  await expect(items).toHaveCount(1);

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login\?ended=signed_out$/);
  await waitForHydration(page);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expectGreeting(page, user.username);

  const listed = await page.request.get("/api/account/passkeys");
  const { passkeys } = (await listed.json()) as { passkeys: { name: string; lastUsedAt: string | null }[] };
  expect(passkeys).toEqual([expect.objectContaining({ name: "Test laptop", lastUsedAt: expect.any(String) })]);
  const [used] = await authenticator.credentials();
  expect(used?.signCount).toBeGreaterThan(credential?.signCount ?? 0);
});

test("a removed passkey signs nobody in, and the login page says so", async ({ page, user }) => {
  await addVirtualAuthenticator(page);
  await signInThroughForm(page, user, "/account");
  // A click before React hydrates does nothing: wait for it.
  await waitForHydration(page);
  const card = passkeysCard(page);
  await card.getByRole("button", { name: "Add a passkey" }).click();
  await expect(card.getByRole("listitem")).toHaveCount(1);

  await card.getByRole("button", { name: /^Remove/ }).click();
  const confirm = card.getByRole("group", { name: /^Confirm removing / });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Remove passkey" }).click();
  await expect(card.getByRole("status")).toHaveText(/^Removed “Passkey on Linux”/);
  await expect(card.getByRole("listitem")).toHaveCount(0);

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login\?ended=signed_out$/);
  await waitForHydration(page);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That passkey could not be used to sign in." })).toBeVisible();
  await expect(page).toHaveURL(/\/login\?ended=signed_out$/);
});

test("the passkey button honours ?next= and is hidden without WebAuthn", async ({ page, user, newContext }) => {
  await addVirtualAuthenticator(page);
  await signInThroughForm(page, user, "/account");
  // A click before React hydrates does nothing: wait for it.
  await waitForHydration(page);
  await passkeysCard(page).getByRole("button", { name: "Add a passkey" }).click();
  await expect(passkeysCard(page).getByRole("listitem")).toHaveCount(1);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login\?ended=signed_out$/);

  await page.goto(`/login?next=${encodeURIComponent("/account")}`);
  await waitForHydration(page);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL(/\/account$/);

  const other = await newContext();
  await other.addInitScript(() => {
    // A browser without WebAuthn.
    Reflect.deleteProperty(window, "PublicKeyCredential");
  });
  const bare = await other.newPage();
  await bare.goto("/login");
  await waitForHydration(bare);
  await expect(bare.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await expect(bare.getByRole("button", { name: "Sign in with a passkey" })).toHaveCount(0);
});

test("“Confirm it's you” accepts a passkey instead of the password", async ({ page, user }) => {
  await addVirtualAuthenticator(page);
  await signInThroughForm(page, user, "/account");
  // A click before React hydrates does nothing: wait for it.
  await waitForHydration(page);
  const card = passkeysCard(page);
  await card.getByRole("button", { name: "Add a passkey" }).click();
  await expect(card.getByRole("listitem")).toHaveCount(1);

  // The sign-in is fresh, so the server's first "confirm it's you" answer is staged; the
  // re-authentication and the retried rename are real.
  let staged = 1;
  let reauthenticated = false;
  await page.route("**/api/account/passkeys/*", async (route) => {
    if (route.request().method() === "PATCH" && staged > 0) {
      staged -= 1;
      return route.fulfill({ status: 403, json: { code: "reauthentication_required", message: "Confirm it's you." } });
    }
    return route.continue();
  });
  page.on("response", (res) => {
    if (res.url().endsWith("/api/auth/reauthenticate") && res.status() === 204) reauthenticated = true;
  });

  await card
    .getByRole("listitem")
    .first()
    .getByRole("button", { name: /^Rename/ })
    .click();
  await card.getByRole("textbox", { name: /^New name for / }).fill("Work phone");
  await card.getByRole("button", { name: "Save" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it’s you" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Use a passkey instead" }).click();
  await expect(dialog).toBeHidden();
  await expect(card.getByRole("status")).toHaveText("Renamed to “Work phone”.");
  expect(reauthenticated).toBe(true);
});
