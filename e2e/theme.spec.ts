// Dark mode: the system setting by default, a remembered choice (a cookie the server reads, so the
// first paint is right), with and without JavaScript; and the icons every page links.
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { waitForHydration } from "./support/pages";
import { serverEnv } from "./support/users";

/** The page background's lightness (oklch L, 0–1): what a person sees, whatever the mechanism. */
function backgroundLightness(page: Page): Promise<number> {
  return page.evaluate(() => {
    const probe = document.createElement("canvas").getContext("2d");
    if (!probe) throw new Error("no canvas");
    probe.fillStyle = getComputedStyle(document.body).backgroundColor;
    probe.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0] = probe.getImageData(0, 0, 1, 1).data;
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  });
}

const isDark = async (page: Page) => (await backgroundLightness(page)) < 0.2;
const themeButton = (page: Page, name: string) => page.getByRole("group", { name: "Theme" }).getByRole("button", { name, exact: true });

test("the pages follow the system setting until a choice is made", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/login");
  expect(await isDark(page)).toBe(false);
  await expect(themeButton(page, "System")).toHaveAttribute("aria-pressed", "true");
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(() => isDark(page)).toBe(true);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe("light dark");
});

test("choosing Dark applies at once, survives a reload, and System returns to the system setting", async ({ page, context }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/login");
  await waitForHydration(page);
  const url = page.url();

  await themeButton(page, "Dark").click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  expect(page.url()).toBe(url); // no navigation: the choice applied in place
  expect(await isDark(page)).toBe(true);
  await expect(themeButton(page, "Dark")).toHaveAttribute("aria-pressed", "true");
  expect((await context.cookies()).find((c) => c.name === "latchkey_theme")?.value).toBe("dark");

  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  expect(await isDark(page)).toBe(true);
  await expect(themeButton(page, "Dark")).toHaveAttribute("aria-pressed", "true");

  await waitForHydration(page);
  await themeButton(page, "System").click();
  await expect(page.locator("html")).not.toHaveAttribute("data-theme", /.*/);
  expect(await isDark(page)).toBe(false);
  expect((await context.cookies()).find((c) => c.name === "latchkey_theme")).toBeUndefined();
});

test("choosing Light wins over a dark system setting", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/signup");
  await waitForHydration(page);
  expect(await isDark(page)).toBe(true);
  await themeButton(page, "Light").click();
  expect(await isDark(page)).toBe(false);
  await page.reload();
  expect(await isDark(page)).toBe(false);
});

test("the toggle works without JavaScript and comes back to the same page", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: serverEnv().baseURL, javaScriptEnabled: false, colorScheme: "light" });
  try {
    const page = await context.newPage();
    await page.goto("/reset-password?token=abc");
    await themeButton(page, "Dark").click();
    await expect(page).toHaveURL(/\/reset-password\?token=abc$/);
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await expect(themeButton(page, "Dark")).toHaveAttribute("aria-pressed", "true");
    expect(await isDark(page)).toBe(true);
  } finally {
    await context.close();
  }
});

test("the theme endpoint refuses a cross-site post and never redirects off-site", async ({ request }) => {
  const crossSite = await request.post("/api/theme", { form: { theme: "dark" }, headers: { origin: "https://evil.example" } });
  expect(crossSite.status()).toBe(403);
  const offSite = await request.post("/api/theme", {
    form: { theme: "dark", next: "//evil.example/" },
    headers: { origin: serverEnv().baseURL },
    maxRedirects: 0,
  });
  expect(offSite.status()).toBe(303);
  expect(new URL(offSite.headers().location ?? "").origin).toBe(new URL(serverEnv().baseURL).origin);
});

test("the favicon and app icons are served and linked", async ({ page, request }) => {
  const favicon = await request.get("/favicon.ico");
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["content-type"]).toMatch(/icon/);
  const failed: string[] = [];
  page.on("response", (res) => {
    if (res.status() >= 400) failed.push(`${res.status()} ${res.url()}`);
  });
  await page.goto("/login");
  for (const selector of [
    'link[rel="icon"][type="image/svg+xml"]',
    'link[rel="apple-touch-icon"]',
    'link[rel="icon"][href^="/favicon.ico"]',
  ]) {
    const href = await page.locator(selector).first().getAttribute("href");
    expect(href, selector).toBeTruthy();
    expect((await request.get(href ?? "")).status(), selector).toBe(200);
  }
  expect(failed).toEqual([]);
});
