// The account page: the sessions list, changing the password (other sessions end), signing out
// one other session, and "Sign out everywhere".
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { meStatus, signInThroughForm } from "./support/pages";
import { sameOrigin, signInApi } from "./support/users";

const NEW_PASSWORD = "violet kettles march under quiet harbour lights";

function sessionsCard(page: Page) {
  return page.getByRole("region", { name: "Sessions" });
}

test("the sessions list marks this device and signs out another session", async ({ page, user, newContext }) => {
  const other = await newContext();
  await signInApi(other, user);
  await signInThroughForm(page, user, "/account");

  const items = sessionsCard(page).getByRole("listitem");
  await expect(items).toHaveCount(2);
  await expect(items.first().getByText("This device")).toBeVisible();
  await expect(items.nth(1).getByText("This device")).toHaveCount(0);

  await items
    .nth(1)
    .getByRole("button", { name: /^Sign out of / })
    .click();
  await expect(sessionsCard(page).getByRole("status")).toHaveText(/^Signed out of /);
  await expect(items).toHaveCount(1);
  expect(await meStatus(await other.newPage())).toBe(401);
  expect(await meStatus(page)).toBe(200);
});

test("changing the password keeps this session and signs the other browser out", async ({ page, user, newContext }) => {
  const other = await newContext();
  await signInApi(other, user);
  const otherPage = await other.newPage();
  await otherPage.goto("/dashboard");
  await expect(otherPage.getByRole("heading", { level: 1, name: `Welcome, ${user.username}` })).toBeVisible();

  await signInThroughForm(page, user, "/account");
  await expect(sessionsCard(page).getByRole("listitem")).toHaveCount(2);
  const form = page.getByRole("region", { name: "Change password" });
  await form.getByLabel("Current password").fill(user.password);
  await form.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await form.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();

  await expect(form.getByRole("status")).toHaveText("Password changed. Every other session was signed out; this one stays signed in.");
  await expect(sessionsCard(page).getByRole("listitem")).toHaveCount(1);
  await expect(form.getByLabel("Current password")).toHaveValue("");

  await otherPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
  await expect(otherPage).toHaveURL(/\/login\?next=%2Faccount&ended=password_changed$/);

  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Account" })).toBeVisible();
  const oldLogin = await other.request.post("/api/auth/login", {
    data: { username: user.username, password: user.password },
    headers: sameOrigin(),
  });
  expect(oldLogin.status()).toBe(401);
  const newLogin = await other.request.post("/api/auth/login", {
    data: { username: user.username, password: NEW_PASSWORD },
    headers: sameOrigin(),
  });
  expect(newLogin.status()).toBe(200);
});

test("a wrong current password is refused next to the field and changes nothing", async ({ page, user }) => {
  await signInThroughForm(page, user, "/account");
  const form = page.getByRole("region", { name: "Change password" });
  await form.getByLabel("Current password").fill("this is not my password");
  await form.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await form.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();

  const current = form.getByLabel("Current password");
  await expect(current).toHaveAttribute("aria-invalid", "true");
  await expect(current).toBeFocused();
  await expect(form.getByText("The current password is incorrect.")).toBeVisible();
  expect(await meStatus(page)).toBe(200);
  const login = await page.request.post("/api/auth/login", {
    data: { username: user.username, password: user.password },
    headers: sameOrigin(),
  });
  expect(login.status()).toBe(200);
});

test("Sign out everywhere ends this session and the other browser's", async ({ page, user, newContext }) => {
  const other = await newContext();
  await signInApi(other, user);
  const otherPage = await other.newPage();
  await otherPage.goto("/dashboard");
  await expect(otherPage.getByRole("heading", { level: 1, name: `Welcome, ${user.username}` })).toBeVisible();

  await signInThroughForm(page, user, "/account");
  // The list is fetched by the hydrated panel: once it shows, the buttons answer clicks.
  await expect(sessionsCard(page).getByText("This device")).toBeVisible();
  await sessionsCard(page).getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/login\?ended=signed_out_everywhere$/);
  expect(await meStatus(page)).toBe(401);

  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/login\?next=%2Fdashboard&ended=signed_out_everywhere$/);
  expect(await meStatus(otherPage)).toBe(401);
});
