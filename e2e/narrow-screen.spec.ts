// Every main page on a 390 px phone screen, signed in with a 32-character username (the longest
// allowed): nothing may widen the page past the screen, and axe must still find no violations
// (e.g. a table that scrolls sideways must be reachable by keyboard).
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./support/fixtures";
import { MAIN_PAGES } from "./support/main-pages";
import { registerUser, signInApi } from "./support/users";

test.use({ viewport: { width: 390, height: 844 } });

for (const main of MAIN_PAGES) {
  test(`${main.name} page fits a 390 px screen`, async ({ page, context, admin }) => {
    if (main.viewer === "user") await signInApi(context, await registerUser("long", { longest: true }));
    if (main.viewer === "admin") await signInApi(context, admin);
    const res = await page.goto(main.path);
    expect(res?.status()).toBe(main.status ?? 200);
    await main.ready(page);

    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      screen: document.documentElement.clientWidth,
    }));
    expect(widths.page, "page wider than the screen").toBeLessThanOrEqual(widths.screen);
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
    expect(results.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) }))).toEqual([]);
  });
}
