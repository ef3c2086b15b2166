// The dashboard as people open it: its prerendered shell filled with their values
// (docs/decisions/0023-dashboard-shell.md), which React must hydrate without a mismatch, even
// when a value was built to break out of the HTML or the flight data.
import { expect, test } from "./support/fixtures";
import { signInThroughForm } from "./support/pages";
import { nextAddress, registerUser } from "./support/users";

test("a filled dashboard hydrates with no error, whatever its values hold", async ({ browser, baseURL }) => {
  // A device describeDevice does not know is shown by its first word, as it came.
  const device = "$\"'&</script><script>alert`1`//";
  const context = await browser.newContext({ baseURL, userAgent: `${device} x`, extraHTTPHeaders: { "x-forwarded-for": nextAddress() } });
  const problems: string[] = [];
  context.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  context.on("weberror", (error) => problems.push(`pageerror: ${error.error().message}`));
  const user = await registerUser("shell", { withEmail: true });
  const page = await context.newPage();
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });

  await signInThroughForm(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  const response = await page.reload();
  // The shell's answer: hashes for its scripts, not the nonce of a page Next rendered.
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("'sha256-");
  expect(csp).not.toContain("nonce");

  const session = page.getByRole("region", { name: "Your session" });
  await expect(session.getByText(`${device}, `, { exact: false })).toBeVisible();
  await expect(page.getByRole("region", { name: "Your account" }).getByText(user.email ?? "")).toBeVisible();
  // Hydrated: the token's remaining life is counted only once React runs in the page.
  await expect(session.getByText(/^\d+ (min \d+ s|s)$/)).toBeVisible();
  // And the page works as one: its link to the account page.
  await page.getByRole("link", { name: "Manage your account and sessions" }).click();
  await expect(page).toHaveURL(/\/account$/);
  expect(problems).toEqual([]);
  await context.close();
});
