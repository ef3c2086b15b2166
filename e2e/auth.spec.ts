// Sign-up, sign-in, sign-out and the ?next= round trip, as a person sees them.
import { GOOD_PASSWORD, uniqueName } from "../test/support/client";
import { expect, test } from "./support/fixtures";
import { expectGreeting, fillLogin, formAlert, meStatus, signInThroughForm, waitForHydration } from "./support/pages";

test("signing up lands on the dashboard, signed in and greeted by name", async ({ page }) => {
  const username = uniqueName("su");
  await page.goto("/signup");
  await page.getByLabel("Username", { exact: true }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill(GOOD_PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();

  await expectGreeting(page, username);
  const me = await page.request.get("/api/me");
  expect(me.status()).toBe(200);
  expect((await me.json()).user).toMatchObject({ username, role: "user" });
});

test("sign-up refuses a password containing the username, next to the field, creating nothing", async ({ page }) => {
  const username = uniqueName("su");
  await page.goto("/signup");
  await waitForHydration(page);
  await page.getByLabel("Username", { exact: true }).fill(username);
  const password = page.getByLabel("Password", { exact: true });
  await password.fill(`${username} plus some more words`);
  // Sent even though the form sees the problem: only the server knows whether the name is taken.
  const reply = page.waitForResponse((r) => r.url().endsWith("/api/auth/register"));
  await page.getByRole("button", { name: "Create account" }).click();
  expect((await reply).status()).toBe(422);

  await expect(page.getByText("Don't include your username in your password.")).toBeVisible();
  await expect(password).toHaveAttribute("aria-invalid", "true");
  // One field to fix: focus goes to it, and its message is read with it.
  await expect(password).toBeFocused();
  await expect(page).toHaveURL(/\/signup$/);
  const login = await page.request.post("/api/auth/login", { data: { username, password: `${username} plus some more words` } });
  expect(login.status()).toBe(401);
});

test("the Sign out button POSTs the logout; the dashboard then sends to login", async ({ page, user }) => {
  await signInThroughForm(page, user);
  await expectGreeting(page, user.username);
  await waitForHydration(page);

  const logout = page.waitForRequest((r) => r.url().endsWith("/api/auth/logout"));
  await page.getByRole("banner").getByRole("button", { name: "Sign out", exact: true }).click();
  expect((await logout).method()).toBe("POST");
  await expect(page).toHaveURL(/\/login\?ended=signed_out$/);
  expect(await meStatus(page)).toBe(401);

  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Latchkey" })).toBeVisible();
});

test("a guarded page sends to login with ?next= and back there after signing in", async ({ page, user }) => {
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)account$/);
  await expect(page.getByText("Sign in to continue to the page you asked for.")).toBeVisible();

  await fillLogin(page, user.username, user.password);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1, name: "Account" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Profile" }).getByText(user.username)).toBeVisible();
});

test("a wrong password shows an alert, keeps the labels, and puts focus back on the password", async ({ page, user }) => {
  await page.goto("/login");
  const reply = page.waitForResponse((r) => r.url().endsWith("/api/auth/login"));
  await fillLogin(page, user.username, "not the right password at all");
  expect((await reply).status()).toBe(401);

  await expect(formAlert(page)).toHaveText("The username or password is incorrect.");
  const password = page.getByLabel("Password", { exact: true });
  await expect(password).toBeFocused();
  await expect(password).toHaveValue("");
  await expect(page.getByLabel("Username or email")).toHaveValue(user.username);
  await expect(page).toHaveURL(/\/login$/);
  expect(await meStatus(page)).toBe(401);
});

test("repeated failures end in a 429 and a message saying how long to wait", async ({ page, user }) => {
  await page.goto("/login");
  let last = 0;
  for (let attempt = 1; attempt <= 6 && last !== 429; attempt++) {
    const reply = page.waitForResponse((r) => r.url().endsWith("/api/auth/login"));
    await fillLogin(page, user.username, `wrong password number ${attempt}`);
    const res = await reply;
    last = res.status();
    if (last === 429) expect(Number(res.headers()["retry-after"])).toBeGreaterThan(0);
    // Wait for the form to be usable again before the next attempt.
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
  }
  expect(last).toBe(429);
  const alert = formAlert(page);
  await expect(alert).toHaveText(/Try again in \d+ (seconds|minutes)\.$/);
  // Said once, not twice (the server's sentence already names the wait).
  expect((await alert.textContent())?.match(/Try again in/g)).toHaveLength(1);

  // While locked, even the right password is refused, and the page says so.
  const reply = page.waitForResponse((r) => r.url().endsWith("/api/auth/login"));
  await fillLogin(page, user.username, user.password);
  expect((await reply).status()).toBe(429);
  await expect(page).toHaveURL(/\/login$/);
  await expect(alert).toContainText("Try again in");
});
