// The README's screenshots (`npm run screenshots`): sign-up, dashboard, account and the admin
// users list, in the light and the dark scheme, at 1280 px, plus the users list at 390 px.
// Fixed names, one fixed client address and frozen times, so an unchanged screen gives the same
// PNG on every run.
import path from "node:path";
import type { Browser, BrowserContext, Cookie, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { mailLink, waitForMail } from "./mail";
import { MAIN_PAGES } from "./main-pages";
import { waitForHydration } from "./pages";
import { createNamedAdmin, freezeTimes, registerNamed } from "./showcase";
import { sameOrigin, signInApi, type TestUser } from "./users";

const ready = (name: string) => (MAIN_PAGES.find((p) => p.name === name) as (typeof MAIN_PAGES)[number]).ready;

/** `from`: a text the picture starts just above (one phone screen's height), rather than the page's top. */
type Shot = { name: string; path: string; as: "anonymous" | "user" | "admin"; width: number; fullPage: boolean; from?: RegExp };

const SHOTS: Shot[] = [
  { name: "signup", path: "/signup", as: "anonymous", width: 1280, fullPage: true },
  { name: "dashboard", path: "/dashboard", as: "user", width: 1280, fullPage: true },
  { name: "account", path: "/account", as: "user", width: 1280, fullPage: true },
  { name: "admin", path: "/admin", as: "admin", width: 1280, fullPage: true },
  // The cards the users list becomes on a phone, rather than the filters above them.
  { name: "admin-phone", path: "/admin", as: "admin", width: 390, fullPage: false, from: /\d+ users on page 1/ },
];

// A person's browser rather than "Chrome Headless on Linux", and documentation addresses (RFC 5737).
const LAPTOP = {
  userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
  extraHTTPHeaders: { "x-forwarded-for": "203.0.113.24" },
};
const PHONE = {
  userAgent:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
  extraHTTPHeaders: { "x-forwarded-for": "198.51.100.7" },
};

async function browserContext(browser: Browser, device: typeof LAPTOP): Promise<BrowserContext> {
  return browser.newContext({ baseURL: process.env.E2E_BASE_URL, ...device });
}

/** Opens the confirmation link sign-up mailed to `user` and presses its button. */
async function confirmEmail(browser: Browser, user: TestUser): Promise<void> {
  const context = await browserContext(browser, LAPTOP);
  const page = await context.newPage();
  const mail = await waitForMail(user.email ?? "", "Confirm your email address for Latchkey");
  await page.goto(mailLink(mail, "/verify-email"));
  await waitForHydration(page);
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your email address is confirmed" })).toBeVisible();
  await context.close();
}

/** Signs `user` in from `device`, runs `then` in that browser, and returns its cookies. */
async function signedIn(browser: Browser, user: TestUser, device: typeof LAPTOP, then?: (c: BrowserContext) => Promise<void>) {
  const context = await browserContext(browser, device);
  await signInApi(context, user);
  await then?.(context);
  const cookies = await context.cookies();
  await context.close();
  return cookies;
}

export function readmeShots(dir: string): void {
  // One worker makes the accounts once and takes every picture.
  test.describe.configure({ mode: "serial" });
  test.use(LAPTOP);

  // One session each, reused by every picture, so the lists show one laptop rather than five.
  const sessions: Record<"user" | "admin", Cookie[]> = { user: [], admin: [] };

  test.beforeAll(async ({ browser }) => {
    const admin = await createNamedAdmin("grace");
    const ada = await registerNamed("ada", "ada@example.com");
    await registerNamed("alan.turing");
    const margaret = await registerNamed("margaret", "margaret@example.com");
    const katherine = await registerNamed("katherine.johnson", "katherine@example.com");
    await registerNamed("linus");
    await confirmEmail(browser, ada);
    await confirmEmail(browser, katherine);
    // ada is signed in on her phone too, so her account page lists another device.
    await signedIn(browser, ada, PHONE);
    sessions.user = await signedIn(browser, ada, LAPTOP);
    // One disabled account, so the list shows both states.
    sessions.admin = await signedIn(browser, admin, LAPTOP, async (context) => {
      const res = await context.request.patch(`/api/admin/users/${margaret.id}`, { data: { disabled: true }, headers: sameOrigin() });
      expect(res.status(), await res.text()).toBe(200);
    });
  });

  for (const shot of SHOTS) {
    test(shot.name, async ({ page, context }) => {
      await page.setViewportSize({ width: shot.width, height: shot.width < 600 ? 844 : 800 });
      if (shot.as !== "anonymous") await context.addCookies(sessions[shot.as]);
      await page.clock.install();
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(shot.path);
        await waitForHydration(page);
        await ready(shot.name === "admin-phone" ? "admin" : shot.name)(page);
        await settle(page);
        const file = path.join(dir, `${shot.name}-${scheme}.png`);
        const top = shot.from ? ((await page.getByText(shot.from).boundingBox())?.y ?? 0) - 16 : null;
        const clip = top === null ? undefined : { x: 0, y: top, width: shot.width, height: 844 };
        await page.screenshot({ path: file, fullPage: shot.fullPage || clip !== undefined, clip, animations: "disabled" });
        await page.clock.resume();
      }
    });
  }
}

/** Frozen times, no focus ring or caret from loading, and the web fonts in. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    (document.activeElement as HTMLElement | null)?.blur();
    await document.fonts.ready;
  });
  await page.mouse.move(0, 0);
  await freezeTimes(page);
}
