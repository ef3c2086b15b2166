// The admin console at work: search and page through the users list, open an account, act as it
// and come back, disable it, and read all of it in the audit log; invitations, reset links, role
// and delete from an account's page; the three admin screens under axe at desktop and phone
// widths; the search box and paging with the keyboard alone.
import { mkdirSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { uniqueName } from "../test/support/client";
import { confirmItsYouIfAsked, registerUsersWithPrefix, tabTo } from "./support/admin";
import { expect, test } from "./support/fixtures";
import { waitForMail } from "./support/mail";
import { waitForHydration } from "./support/pages";
import { signInApi, type TestUser } from "./support/users";

// A zone far from the server's: times must render the same on both sides of hydration, and the
// audit log's datetime-local filters must turn the viewer's local time into the right instant.
test.use({ timezoneId: "Asia/Kathmandu" });

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
// Kept after the run for a person to look at (Playwright empties its own output folder).
const SHOTS = path.join("test-results", "admin-console");

function userRow(page: Page, username: string) {
  return page.getByRole("row").filter({ has: page.getByRole("rowheader").getByRole("link", { name: username, exact: true }) });
}

function eventRow(page: Page, type: string) {
  return page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: type, exact: true }) });
}

/** The usernames the list shows, in order. */
async function listedNames(page: Page): Promise<string[]> {
  return page.getByRole("rowheader").getByRole("link").allInnerTexts();
}

/** The next `method` request to `url` is answered as if the admin's sign-in were not fresh; the retry goes through. */
async function requireStepUpOnce(page: Page, method: string, url: string) {
  const body = { code: "reauthentication_required", message: "Confirm it's you: enter your password again to continue." };
  let staged = false;
  await page.route(url, (route) => {
    if (staged || route.request().method() !== method) return route.fallback();
    staged = true;
    return route.fulfill({ status: 403, json: body });
  });
}

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(results.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) }))).toEqual([]);
}

async function expectFitsScreen(page: Page) {
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth }));
  expect(widths.page, "page wider than the screen").toBeLessThanOrEqual(widths.screen);
}

test("an admin finds a user, acts as them, stops, disables them and reads it in the audit log", async ({ page, admin, newContext }) => {
  test.setTimeout(90_000);
  const { prefix, users } = await registerUsersWithPrefix(22, "ac");
  const target = users.at(-1) as TestUser;
  await signInApi(await newContext(), target);

  await signInApi(page.context(), admin);
  await page.goto("/admin");
  await waitForHydration(page);
  // Newest first by default.
  await expect(page.getByLabel("Sort by")).toHaveValue("created");

  // A prefix narrows the list; the newest account comes first.
  await page.getByLabel("Search users").fill(prefix);
  await expect(page.getByText(`20 users on page 1 matching “${prefix}”`)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${prefix}(&|$)`));
  const first = await listedNames(page);
  expect(first.every((name) => name.startsWith(prefix))).toBe(true);
  expect(first[0]).toBe(target.username);

  // The next page keeps the search: the two accounts left, none seen before.
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page.getByText(`2 users on page 2 matching “${prefix}”`)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${prefix}&cursor=`));
  const second = await listedNames(page);
  expect(second).toHaveLength(2);
  expect(second.every((name) => name.startsWith(prefix) && !first.includes(name))).toBe(true);
  await expect(page.getByRole("button", { name: "Next page" })).toBeDisabled();

  // A reload keeps the page, and Previous still leads back to the first.
  await page.reload();
  await expect(page.getByText(`2 users on page 2 matching “${prefix}”`)).toBeVisible();
  await expect(page.getByLabel("Search users")).toHaveValue(prefix);
  await waitForHydration(page);
  await page.getByRole("button", { name: "Previous page" }).click();
  await expect(page.getByText(`20 users on page 1 matching “${prefix}”`)).toBeVisible();

  // The user's page.
  await userRow(page, target.username).getByRole("link", { name: target.username, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/users/${target.id}$`));
  await expect(page.getByRole("heading", { level: 1, name: target.username })).toBeVisible();
  await expect(page.getByRole("region", { name: "Sessions" })).toContainText("Signed in on 1 device.");

  // Impersonate: the admin's browser now acts as the user, under a banner. The sign-in is fresh,
  // so the first answer is staged as a stale one to go through "Confirm it's you" for real.
  await requireStepUpOnce(page, "POST", `**/api/admin/users/${target.id}/impersonate`);
  await waitForHydration(page);
  await page.getByRole("button", { name: `Impersonate ${target.username}` }).click();
  await expect(page.getByRole("dialog", { name: "Confirm it’s you" })).toBeVisible();
  await confirmItsYouIfAsked(page, admin.password, () => page.waitForURL(/\/dashboard$/));
  await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${target.username}` })).toBeVisible();
  const banner = page.getByRole("region", { name: "Impersonation" });
  await expect(banner).toContainText(`impersonated by ${admin.username}`);

  // Stop: back as the admin, on the user's page.
  await waitForHydration(page);
  await banner.getByRole("button", { name: "Stop impersonating" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/users/${target.id}$`));
  await expect(page.getByRole("heading", { level: 1, name: target.username })).toBeVisible();
  await expect(page.getByRole("region", { name: "Impersonation" })).toHaveCount(0);
  await expect(page.getByRole("banner").getByText(admin.username)).toBeVisible();

  // Disable.
  await waitForHydration(page);
  await page.getByRole("button", { name: "Disable account" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${target.username} is disabled and signed out.` })).toBeVisible();
  await expect(page.getByRole("button", { name: `Impersonate ${target.username}` })).toBeDisabled();
  await expect(page.getByText("Disabled accounts cannot be impersonated.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Sessions" })).toContainText("Not signed in anywhere.");

  // The audit log, filtered by the user: each event names the admin as the actor.
  await page.getByRole("link", { name: "Open in the audit log" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/audit\\?user=${target.id}$`));
  await expect(page.getByLabel("User", { exact: true })).toHaveValue(target.id);
  for (const type of ["impersonation_started", "impersonation_ended", "user_disabled"]) {
    const row = eventRow(page, type).first();
    await expect(row).toBeVisible();
    await expect(row.getByRole("cell").nth(2)).toContainText(admin.username);
    await expect(row.getByRole("cell").nth(1)).toContainText(target.username);
  }
  const exported = page.getByRole("link", { name: "Export CSV" });
  await expect(exported).toHaveAttribute("href", `/api/admin/audit/export?format=csv&user=${target.id}`);
  const download = await page.request.get(`/api/admin/audit/export?format=csv&user=${target.id}`);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-disposition"]).toMatch(/^attachment; filename="latchkey-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
  expect(await download.text()).toContain("impersonation_started");

  // A time filter joins the others in the URL as the instant it means (local midnight in
  // Kathmandu, UTC+5:45), and reads back as the same local time; Back returns to before it.
  await page.getByLabel("From").fill("2099-01-01T00:00");
  await page.getByRole("button", { name: "Apply filters" }).click();
  const fromUtc = encodeURIComponent("2098-12-31T18:15:00.000Z");
  await expect(page).toHaveURL(new RegExp(`\\?user=${target.id}&from=${fromUtc}$`));
  await expect(page.getByText("No events match these filters.")).toBeVisible();
  await expect(exported).toHaveAttribute("href", `/api/admin/audit/export?format=csv&user=${target.id}&from=${fromUtc}`);
  await page.reload();
  await expect(page.getByLabel("From")).toHaveValue("2099-01-01T00:00");
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/admin/audit\\?user=${target.id}$`));
  await expect(eventRow(page, "user_disabled").first()).toBeVisible();
  await expect(page.getByLabel("From")).toHaveValue("");
});

test("the admin screens pass axe at 1280 px and 390 px, and fit a phone", async ({ page, admin }) => {
  test.setTimeout(90_000);
  mkdirSync(SHOTS, { recursive: true });
  // A hydration mismatch (times rendered in the server's zone, say) shows up as a console error.
  // (Not the browser's note about the favicon, which this app does not have.)
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) consoleErrors.push(message.text());
  });
  const { prefix, users } = await registerUsersWithPrefix(3, "ax");
  const target = users.at(-1) as TestUser;
  await signInApi(page.context(), target);
  await page.context().clearCookies();
  await signInApi(page.context(), admin);

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });

    await page.goto(`/admin?q=${prefix}`);
    await expect(page.getByText(`3 users on page 1 matching “${prefix}”`)).toBeVisible();
    await expectNoAxeViolations(page);
    await expectFitsScreen(page);
    await page.screenshot({ path: path.join(SHOTS, `users-${width}.png`), fullPage: true });

    await page.goto(`/admin/users/${target.id}`);
    await expect(page.getByRole("heading", { level: 1, name: target.username })).toBeVisible();
    await waitForHydration(page);
    await expectNoAxeViolations(page);
    await expectFitsScreen(page);
    await page.screenshot({ path: path.join(SHOTS, `user-${width}.png`), fullPage: true });

    await page.goto(`/admin/audit?user=${target.id}`);
    await expect(page.getByText(/Showing \d+ events? on page 1/)).toBeVisible();
    await expectNoAxeViolations(page);
    await expectFitsScreen(page);
    await page.screenshot({ path: path.join(SHOTS, `audit-${width}.png`), fullPage: true });
  }

  // The delete dialog too (opened and cancelled: nothing is deleted).
  await page.goto(`/admin/users/${target.id}`);
  await waitForHydration(page);
  await page.getByRole("button", { name: "Delete account…" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${target.username}?` });
  await expect(dialog.getByLabel(`Type ${target.username} to confirm`)).toBeFocused();
  await expectNoAxeViolations(page);
  await page.screenshot({ path: path.join(SHOTS, "delete-dialog-390.png") });
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Delete account…" })).toBeFocused();
  expect(consoleErrors).toEqual([]);
});

test("the search box and the paging work with the keyboard alone", async ({ page, admin }) => {
  test.setTimeout(60_000);
  const { prefix } = await registerUsersWithPrefix(21, "kb");
  await signInApi(page.context(), admin);
  const searches: string[] = [];
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (url.pathname === "/api/admin/users" && url.searchParams.has("q")) searches.push(url.searchParams.get("q") ?? "");
  });
  await page.goto("/admin");
  await waitForHydration(page);
  await expect(page.getByText(/\d+ users? on page 1/)).toBeVisible();

  const search = page.getByLabel("Search users");
  await tabTo(page, () => search.evaluate((el) => el === document.activeElement), 30);

  // Typed at a steady pace: one search after the pause, not one per key.
  await page.keyboard.type(prefix, { delay: 40 });
  await expect(page.getByText(`20 users on page 1 matching “${prefix}”`)).toBeVisible();
  // Polled: Playwright may report a request after the page has already shown its answer.
  await expect.poll(() => searches.at(-1)).toBe(prefix);
  expect(searches.length).toBeLessThan(prefix.length / 2);

  // Escape clears the search at once; Enter searches at once.
  await page.keyboard.press("Escape");
  await expect(search).toHaveValue("");
  await expect(page).toHaveURL(/\/admin$/);
  await page.keyboard.type(prefix);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`[?&]q=${prefix}$`));
  await expect(page.getByText(`20 users on page 1 matching “${prefix}”`)).toBeVisible();

  // Paging: focus stays on the paging buttons, and moves to the other one where one runs out.
  const next = page.getByRole("button", { name: "Next page" });
  const previous = page.getByRole("button", { name: "Previous page" });
  await tabTo(page, () => next.evaluate((el) => el === document.activeElement));
  await page.keyboard.press("Enter");
  await expect(page.getByText(`1 user on page 2 matching “${prefix}”`)).toBeVisible();
  await expect(next).toBeDisabled();
  await expect(previous).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByText(`20 users on page 1 matching “${prefix}”`)).toBeVisible();
  await expect(next).toBeFocused();
});

test("an admin invites people, hands over a reset link, changes a role and deletes an account", async ({ page, admin }) => {
  test.setTimeout(60_000);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await signInApi(page.context(), admin);
  await page.goto("/admin");
  await waitForHydration(page);

  // With an email address: the invitation is mailed.
  await page.getByRole("button", { name: "Invite user" }).click();
  const panel = page.getByRole("region", { name: "Invite a user" });
  await expect(panel.getByLabel("Username")).toBeFocused();
  const mailed = uniqueName("inv");
  await panel.getByLabel("Username").fill(mailed);
  await panel.getByLabel("Email").fill(`${mailed}@example.com`);
  await panel.getByRole("button", { name: "Send invitation" }).click();
  await expect(panel.getByRole("status").first()).toContainText(`Invitation sent to ${mailed}@example.com.`);
  await waitForMail(`${mailed}@example.com`, "You have been invited to Latchkey");

  // Without one: the setup link is shown to pass on, with a copy button.
  const linkOnly = uniqueName("inv");
  await panel.getByLabel("Username").fill(linkOnly);
  await panel.getByRole("button", { name: "Send invitation" }).click();
  await expect(panel.getByText(`Created ${linkOnly}. No email was sent`)).toBeVisible();
  const setup = panel.getByLabel(`Setup link for ${linkOnly}`);
  await expect(setup).toHaveValue(/\/reset-password\?token=/);
  await panel.getByRole("button", { name: "Copy link" }).click();
  await expect(panel.getByText("Copied to the clipboard.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await setup.inputValue());

  // The new account is in the list (newest first) and has its own page.
  await page.getByLabel("Search users").fill(linkOnly);
  await userRow(page, linkOnly).getByRole("link", { name: linkOnly, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: linkOnly })).toBeVisible();
  await waitForHydration(page);

  // No email on the account: the reset link comes back to the admin.
  await page.getByRole("button", { name: "Send password reset" }).click();
  await expect(page.getByText(`Signed ${linkOnly} out everywhere. No email was sent`)).toBeVisible();
  await expect(page.getByLabel(`Reset link for ${linkOnly}`)).toHaveValue(/\/reset-password\?token=/);

  // Role: choose, then confirm with the button, and that it's you.
  const manage = page.getByRole("region", { name: "Manage" });
  await requireStepUpOnce(page, "PATCH", "**/api/admin/users/*");
  await manage.getByLabel(`Role for ${linkOnly}`).selectOption("admin");
  await manage.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByRole("dialog", { name: "Confirm it’s you" })).toBeVisible();
  await confirmItsYouIfAsked(page, admin.password, () => expect(manage.getByText(`${linkOnly} is now an admin.`)).toBeVisible());
  await expect(manage.getByRole("button", { name: `Impersonate ${linkOnly}` })).toBeDisabled();
  await expect(manage.getByText("Administrators cannot be impersonated.")).toBeVisible();

  // Delete: only once the username is typed.
  await manage.getByRole("button", { name: "Delete account…" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${linkOnly}?` });
  await dialog.getByLabel(`Type ${linkOnly} to confirm`).fill(linkOnly);
  await dialog.getByRole("button", { name: "Delete account" }).click();
  await confirmItsYouIfAsked(page, admin.password, () =>
    expect(page.getByRole("status").filter({ hasText: `Deleted ${linkOnly}.` })).toBeVisible(),
  );
  await page.getByRole("link", { name: "Back to all users" }).click();
  await page.getByLabel("Search users").fill(linkOnly);
  await expect(page.getByText(`No users match “${linkOnly}”.`)).toBeVisible();
});
