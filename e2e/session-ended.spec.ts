// Session awareness and the status pages: a browser whose session ended elsewhere is told why on
// the sign-in page (and nobody else is), the dashboard says when and from where the session
// began, and the 403/404 pages share the app's header and offer the right next step.
import type { BrowserContext } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { signInThroughForm } from "./support/pages";
import { sameOrigin, signInApi, type TestUser } from "./support/users";

const NEW_PASSWORD = "quiet lantern harbour meadow 47";

async function changePassword(context: BrowserContext, user: TestUser): Promise<void> {
  const res = await context.request.post("/api/account/password", {
    data: { currentPassword: user.password, newPassword: NEW_PASSWORD },
    headers: sameOrigin(),
  });
  expect(res.status()).toBe(204);
}

test("a password change in another browser: the next page says why this one was signed out", async ({ page, user, newContext }) => {
  await signInThroughForm(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);

  const other = await newContext();
  await signInApi(other, user);
  await changePassword(other, user);

  await page.reload();
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard&ended=password_changed$/);
  await expect(page.getByRole("status").filter({ hasText: "You were signed out because your password was changed." })).toBeVisible();

  // The other browser, still signed in, is told nothing; a fresh visitor neither.
  const otherPage = await other.newPage();
  await otherPage.goto("/dashboard");
  await expect(otherPage.getByRole("heading", { level: 1, name: `Welcome, ${user.username}` })).toBeVisible();
  const stranger = await (await newContext()).newPage();
  await stranger.goto("/dashboard");
  await expect(stranger).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await expect(stranger.getByText("You were signed out")).toHaveCount(0);
});

test("an admin ending the sessions: the page says an administrator did", async ({ page, user, admin, newContext }) => {
  await signInThroughForm(page, user);
  const adminBrowser = await newContext();
  await signInApi(adminBrowser, admin);
  const res = await adminBrowser.request.post(`/api/admin/users/${user.id}/revoke-sessions`, { headers: sameOrigin() });
  expect(res.status()).toBe(204);

  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount&ended=admin$/);
  await expect(page.getByText("You were signed out because an administrator ended your sessions.")).toBeVisible();
});

test("the dashboard says when and from where this session started", async ({ page, user }) => {
  await signInThroughForm(page, user);
  const session = page.getByRole("region", { name: "Your session" });
  await expect(session.getByText("Signed in", { exact: true })).toBeVisible();
  await expect(session.locator("dd").first()).toHaveText(/\d{4}|\d{1,2}:\d{2}/);
  await expect(session.getByText(/10\.\d+\.\d+\.\d+/)).toBeVisible();
});

test("the 404 page: sign-in and home for a visitor, the dashboard for a signed-in person", async ({ page, user }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  const main = page.getByRole("main");
  await expect(main.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login");
  await expect(main.getByRole("link", { name: "Home" })).toBeVisible();
  await expect(main.getByRole("link", { name: "Go to your dashboard" })).toHaveCount(0);

  await signInThroughForm(page, user);
  await page.goto("/no-such-page");
  await expect(page.getByRole("banner").getByText(user.username)).toBeVisible();
  await expect(main.getByRole("link", { name: "Go to your dashboard" })).toBeVisible();
  await expect(main.getByRole("link", { name: "Sign in" })).toHaveCount(0);
});

test("the status pages share the app's header width", async ({ page, user }) => {
  await signInThroughForm(page, user);
  const frame = async (path: string) => {
    await page.goto(path);
    return page.getByRole("banner").locator("> div").boundingBox();
  };
  const app = await frame("/dashboard");
  const forbidden = await frame("/admin");
  const missing = await frame("/no-such-page");
  expect(forbidden?.width).toBe(app?.width);
  expect(forbidden?.x).toBe(app?.x);
  expect(missing?.width).toBe(app?.width);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1, name: "You don't have access to this page" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Go to your dashboard" })).toBeVisible();
});
