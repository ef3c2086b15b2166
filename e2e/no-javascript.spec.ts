// The forms as plain HTML, with scripts off (a failed bundle, a strict proxy, a phone before
// hydration): each post is answered with a 303 to the next page or the same page with every
// problem, the typed values kept and never the password. Then, with scripts on, the error
// summary's focus and links.
import type { Page } from "@playwright/test";
import { GOOD_PASSWORD, uniqueName } from "../test/support/client";
import { expect, test } from "./support/fixtures";
import { mailLink, waitForMail } from "./support/mail";
import { meStatus, waitForHydration } from "./support/pages";
import { registerUser, sameOrigin, signInApi } from "./support/users";

const NEW_PASSWORD = "lantern gravel whistles over copper meadows";

function summary(page: Page) {
  return page.getByRole("region", { name: "There is a problem" });
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign up: every problem at once, the values kept but the password, then the account", async ({ page, user }) => {
    const username = uniqueName("nj");
    await page.goto("/signup");
    // A taken username and a short password, reported together.
    await page.getByLabel("Username", { exact: true }).fill(user.username);
    await page.getByLabel("Email").fill(`${username}@example.com`);
    await page.getByLabel("Password", { exact: true }).fill("short");
    const posted = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/signup"));
    await page.getByRole("button", { name: "Create account" }).click();
    expect((await posted).status()).toBe(200);

    const box = summary(page);
    await expect(box).toBeVisible();
    await expect(box).toBeFocused();
    await expect(box.getByRole("link", { name: "That username is already taken." })).toHaveAttribute("href", "#signup-username");
    await expect(box.getByRole("link", { name: /Password must be at least \d+ characters\./ })).toHaveAttribute("href", "#signup-password");

    const name = page.getByLabel("Username", { exact: true });
    const password = page.getByLabel("Password", { exact: true });
    await expect(name).toHaveValue(user.username);
    await expect(page.getByLabel("Email")).toHaveValue(`${username}@example.com`);
    await expect(password).toHaveValue("");
    for (const field of [name, password]) {
      await expect(field).toHaveAttribute("aria-invalid", "true");
      // The inline message is tied to the field.
      const ids = (await field.getAttribute("aria-describedby"))?.split(" ") ?? [];
      const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
      expect(texts.join(" ")).toMatch(/already taken|at least \d+ characters/);
    }

    await name.fill(username);
    await password.fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${username}` })).toBeVisible();
    expect(await meStatus(page)).toBe(200);
  });

  test("sign in: a wrong password says so and keeps the name; the right one lands on the dashboard; sign out", async ({ page, user }) => {
    await page.goto("/login");
    await page.getByLabel("Username or email").fill(user.username);
    await page.getByLabel("Password", { exact: true }).fill("not the right password at all");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.locator("form").getByRole("alert")).toHaveText("The username or password is incorrect.");
    await expect(page.getByLabel("Username or email")).toHaveValue(user.username);
    await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
    expect(await meStatus(page)).toBe(401);

    await page.getByLabel("Password", { exact: true }).fill(user.password);
    const answer = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/login"));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    expect((await answer).status()).toBe(303);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { level: 1, name: `Welcome, ${user.username}` })).toBeVisible();

    await page.getByRole("banner").getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/login\?ended=signed_out$/);
    await expect(page.getByRole("status").filter({ hasText: "You have signed out." })).toBeVisible();
    expect(await meStatus(page)).toBe(401);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard/);
  });

  test("sign in keeps ?next= through the post", async ({ page, user }) => {
    await page.goto("/login?next=%2Faccount");
    await page.getByLabel("Username or email").fill(user.username);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/account$/);
  });

  test("the second step: a wrong recovery code, then a right one", async ({ page, newContext }) => {
    const person = await registerUser("nj2");
    // Turned on through the API from another browser.
    const other = await newContext();
    await signInApi(other, person);
    const start = await other.request.post("/api/account/totp", { headers: sameOrigin() });
    const { secret } = (await start.json()) as { secret: string };
    const { generateSync } = await import("otplib");
    const code = generateSync({ secret, epoch: Math.floor(Date.now() / 1000) });
    const confirm = await other.request.post("/api/account/totp/confirm", { data: { code }, headers: sameOrigin() });
    expect(confirm.status()).toBe(200);
    const codes = ((await confirm.json()) as { recovery_codes: string[] }).recovery_codes;

    await page.goto("/login");
    await page.getByLabel("Username or email").fill(person.username);
    await page.getByLabel("Password", { exact: true }).fill(person.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Two-step verification" })).toBeVisible();
    await expect(page.getByLabel("Authentication code")).toBeFocused();

    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    const recovery = page.getByLabel("Recovery code");
    await recovery.fill("aaaaa-bbbbb");
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await expect(page.getByText("That recovery code is not right, or was already used.")).toBeVisible();
    await expect(recovery).toHaveAttribute("aria-invalid", "true");

    await recovery.fill(codes[0] ?? "");
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    // Nine codes left is not "few": the account page's reminder is for the last ones.
    await expect(page).toHaveURL(/\/dashboard$/);
    expect(await meStatus(page)).toBe(200);
  });

  test("forgot password, then the mailed link: a short password, then a good one, then sign in with it", async ({ page }) => {
    await page.goto("/forgot-password");
    // This server may send no mail: then the page says to ask an administrator, and has no form.
    const field = page.getByLabel("Username or email");
    test.skip((await field.count()) === 0, "EMAIL_DELIVERY is off on this server");
    const person = await registerUser("njr", { withEmail: true });
    const email = person.email as string;
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(summary(page)).toBeFocused();
    await field.fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Check your email" })).toBeVisible();

    const link = mailLink(await waitForMail(email, "Reset your Latchkey password"), "/reset-password");
    await page.goto(link);
    // Without scripts the token stays in the address: the post goes there, and its Referer (if
    // any) is the origin alone.
    const password = page.getByLabel("New password");
    await password.fill("short");
    const posted = page.waitForRequest((r) => r.method() === "POST" && r.url().includes("/reset-password"));
    await page.getByRole("button", { name: "Set new password" }).click();
    const referer = (await (await posted).allHeaders()).referer;
    expect(referer === undefined || referer === `${new URL(page.url()).origin}/`, `Referer: ${referer}`).toBe(true);
    await expect(summary(page)).toBeFocused();
    await expect(summary(page).getByRole("link", { name: /Password must be at least \d+ characters\./ })).toHaveAttribute(
      "href",
      "#reset-password",
    );
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(password).toHaveValue("");

    await password.fill(NEW_PASSWORD);
    const answer = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/reset-password"));
    await page.getByRole("button", { name: "Set new password" }).click();
    expect((await answer).status()).toBe(303);
    await expect(page).toHaveURL(/\/login\?reset=1$/);
    await expect(page.locator("form").getByRole("status")).toHaveText("Your password was changed. Sign in with the new one.");

    await page.getByLabel("Username or email").fill(person.username);
    await page.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    expect(await meStatus(page)).toBe(200);

    // The link worked once.
    await page.goto(link);
    await page.getByLabel("New password").fill(`${NEW_PASSWORD} again`);
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "This link has expired or was already used" })).toBeVisible();
  });

  test("change password: every problem at once, then /account with a notice", async ({ page, user }) => {
    await page.goto("/login?next=%2Faccount");
    await page.getByLabel("Username or email").fill(user.username);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/account$/);

    const card = page.getByRole("region", { name: "Change password" });
    // A wrong current password is reported with the rest, not on a second submit.
    await card.getByLabel("Current password").fill("not the right password at all");
    await card.getByLabel("New password", { exact: true }).fill("short");
    await card.getByLabel("Confirm new password").fill("different");
    await card.getByRole("button", { name: "Change password" }).click();
    const box = summary(page);
    await expect(box).toBeFocused();
    await expect(box.getByRole("link")).toHaveCount(3);
    await expect(box.getByRole("link", { name: "The current password is incorrect." })).toHaveAttribute("href", "#current-password");
    await expect(box.getByRole("link", { name: /New password must be at least \d+ characters\./ })).toHaveAttribute(
      "href",
      "#new-password",
    );
    await expect(box.getByRole("link", { name: "The two new passwords don't match." })).toHaveAttribute("href", "#confirm-password");

    const newPassword = `${GOOD_PASSWORD} again`;
    await card.getByLabel("Current password").fill(user.password);
    await card.getByLabel("New password", { exact: true }).fill(newPassword);
    await card.getByLabel("Confirm new password").fill(newPassword);
    await card.getByRole("button", { name: "Change password" }).click();
    await expect(page).toHaveURL(/\/account\?password-changed=1$/);
    await expect(page.getByRole("status").filter({ hasText: "Password changed." })).toBeVisible();
  });
});

test("with JavaScript, the error summary takes focus and its links move focus to the fields", async ({ page, user }) => {
  await page.goto("/signup");
  await waitForHydration(page);
  await page.getByLabel("Username", { exact: true }).fill(user.username);
  await page.getByLabel("Password", { exact: true }).fill("short");
  const reply = page.waitForResponse((r) => r.url().endsWith("/api/auth/register"));
  await page.getByRole("button", { name: "Create account" }).click();
  // The API answers every problem together: 422 with the taken name in fields.username.
  const res = await reply;
  expect(res.status()).toBe(422);
  expect(Object.keys(((await res.json()) as { fields: object }).fields).sort()).toEqual(["password", "username"]);

  const box = summary(page);
  await expect(box).toBeFocused();
  await box.getByRole("link", { name: "That username is already taken." }).click();
  await expect(page.getByLabel("Username", { exact: true })).toBeFocused();
  await box.getByRole("link", { name: /Password must be at least/ }).click();
  await expect(page.getByLabel("Password", { exact: true })).toBeFocused();
  await expect(page).toHaveURL(/\/signup$/);
});
