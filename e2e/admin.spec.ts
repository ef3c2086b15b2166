// The admin area: a non-admin gets the 403 page; an admin manages a user from the list's quick
// actions (search, role, disable, revoke sessions, delete after typing the username) and sees it
// in the audit log.
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { apiGet, meStatus, signInThroughForm } from "./support/pages";
import { registerUser, sameOrigin, signInApi, type TestUser } from "./support/users";

async function adminView(request: APIRequestContext, username: string) {
  const res = await apiGet(request, `/api/admin/users?q=${encodeURIComponent(username)}`);
  expect(res.status()).toBe(200);
  const { users } = (await res.json()) as { users: { username: string; role: string; disabled: boolean; activeSessions: number }[] };
  return users.find((u) => u.username === username);
}

function userRow(page: Page, username: string) {
  return page.getByRole("row").filter({ has: page.getByRole("rowheader").getByRole("link", { name: username, exact: true }) });
}

test("a signed-in user who is not an admin gets the 403 page on /admin", async ({ page, user }) => {
  await signInThroughForm(page, user);
  for (const path of ["/admin", "/admin/audit"]) {
    const res = await page.goto(path);
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1, name: "You don't have access to this page" })).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
  }
  await page.getByRole("link", { name: "Go to your dashboard" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${user.username}` })).toBeVisible();
  expect((await page.request.get("/api/admin/users")).status()).toBe(403);
});

test("an admin searches, changes a role, revokes sessions, disables and deletes a user", async ({ page, admin, newContext }) => {
  test.setTimeout(45_000);
  const target: TestUser = await registerUser("tgt");
  const targetBrowser = await newContext();
  await signInApi(targetBrowser, target);
  const targetPage = await targetBrowser.newPage();
  expect(await meStatus(targetPage)).toBe(200);

  await signInThroughForm(page, admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("table")).toBeVisible();
  await page.getByLabel("Search users").fill(admin.username);
  const own = userRow(page, admin.username);
  await expect(own).toContainText("You");
  // No way to lock yourself out from your own row: no Disable, Delete or role change, a note instead.
  await expect(own.getByRole("button", { name: /^(Disable|Delete|Reset second factors)/ })).toHaveCount(0);
  await expect(own.getByRole("combobox")).toHaveCount(0);
  await expect(own).toContainText("Your own account: another admin can disable, delete or change its role.");

  await page.getByLabel("Search users").fill(target.username);
  await expect(page.getByText("1 user on page 1")).toBeVisible();
  const row = userRow(page, target.username);
  await expect(row).toBeVisible();
  await expect(page.getByRole("row").filter({ hasNot: page.getByRole("columnheader") })).toHaveCount(1);
  // Sessions (the user column is a row header); innerText leaves out the label only phones show.
  await expect(row.getByRole("cell").nth(2)).toHaveText("1", { useInnerText: true });

  // Revoke sessions: the target's browser is signed out on the server at once.
  await row.getByRole("button", { name: `Revoke sessions of ${target.username}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `Signed ${target.username} out of every session.` })).toBeVisible();
  await expect(row.getByRole("cell").nth(2)).toHaveText("0", { useInnerText: true });
  expect(await meStatus(targetPage)).toBe(401);

  // Role: choose, then Save.
  await row.getByLabel(`Role for ${target.username}`).selectOption("admin");
  await row.getByRole("button", { name: `Save role ${target.username}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `${target.username} is now an admin.` })).toBeVisible();
  await expect(row.getByRole("button", { name: /Save role/ })).toHaveCount(0);
  expect((await adminView(page.request, target.username))?.role).toBe("admin");

  // Disable: the badge changes and the account can no longer sign in.
  await row.getByRole("button", { name: `Disable ${target.username}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `${target.username} is disabled and signed out.` })).toBeVisible();
  await expect(row.getByText("Disabled", { exact: true })).toBeVisible();
  expect((await adminView(page.request, target.username))?.disabled).toBe(true);
  const login = await targetBrowser.request.post("/api/auth/login", {
    data: { username: target.username, password: target.password },
    headers: sameOrigin(),
  });
  expect(login.status()).toBe(403);
  expect((await login.json()).code).toBe("account_disabled");

  // Delete: a dialog that names the user and wants the username typed; Cancel keeps the user.
  const deleteButton = row.getByRole("button", { name: `Delete ${target.username}`, exact: true });
  await deleteButton.click();
  const dialog = page.getByRole("dialog", { name: `Delete ${target.username}?` });
  const typed = dialog.getByLabel(`Type ${target.username} to confirm`);
  await expect(typed).toBeFocused();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(deleteButton).toBeFocused();
  expect(await adminView(page.request, target.username)).toBeDefined();

  await deleteButton.click();
  await typed.fill("someone-else");
  await dialog.getByRole("button", { name: "Delete account" }).click();
  await expect(dialog.getByText(`Type ${target.username} exactly to confirm.`)).toBeVisible();
  await expect(typed).toHaveAttribute("aria-invalid", "true");
  expect(await adminView(page.request, target.username)).toBeDefined();
  await typed.fill(target.username);
  await dialog.getByRole("button", { name: "Delete account" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `Deleted ${target.username}.` })).toBeVisible();
  // The row is gone: focus continues from the list, not from <body>.
  await expect(page.getByRole("table")).toBeFocused();
  await expect(page.getByText(`No users match “${target.username}”.`)).toBeVisible();
  expect(await adminView(page.request, target.username)).toBeUndefined();

  // The audit log, filtered by actor, lists what this admin did, newest first.
  await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await page.getByLabel("Actor", { exact: true }).fill(admin.username);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/audit\\?actor=${admin.username}$`));
  const types = page.getByRole("rowheader");
  await expect(types.first()).toHaveText("user_deleted");
  for (const type of ["user_disabled", "role_changed", "sessions_revoked_by_admin", "login_success"]) {
    await expect(types.filter({ hasText: new RegExp(`^${type}$`) }).first()).toBeVisible();
  }
});

test("a user disabled by an admin is sent to the login page on their next navigation", async ({ page, user, admin, newContext }) => {
  await signInThroughForm(page, user);
  await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${user.username}` })).toBeVisible();

  const adminBrowser = await newContext();
  await signInApi(adminBrowser, admin);
  const res = await adminBrowser.request.patch(`/api/admin/users/${user.id}`, { data: { disabled: true }, headers: sameOrigin() });
  expect(res.status()).toBe(200);
  expect((await res.json()).user).toMatchObject({ username: user.username, disabled: true });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
  await expect(page).toHaveURL(/\/login\?next=%2Faccount&ended=account_disabled$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Latchkey" })).toBeVisible();
  await expect(page.getByText("You were signed out because an administrator disabled your account.")).toBeVisible();
  expect(await meStatus(page)).toBe(401);
});
