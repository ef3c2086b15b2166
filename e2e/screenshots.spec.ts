// Full-page screenshots of every main page at a desktop and a phone width, for a person to look
// at. Runs only with E2E_SHOTS_DIR set (the "screenshots" project in playwright.config.ts).
import path from "node:path";
import { expect, test } from "./support/fixtures";
import { MAIN_PAGES } from "./support/main-pages";
import { registerUser, signInApi } from "./support/users";

const SIZES = [
  { label: "1280", viewport: { width: 1280, height: 800 } },
  { label: "390", viewport: { width: 390, height: 844 } },
];

for (const size of SIZES) {
  test.describe(`at ${size.label}px`, () => {
    test.use({ viewport: size.viewport });
    for (const main of MAIN_PAGES) {
      test(`${main.name}`, async ({ page, context, admin }) => {
        // The longest username allowed, so the shots show how names wrap.
        if (main.viewer === "user") await signInApi(context, await registerUser("shot", { longest: true }));
        if (main.viewer === "admin") await signInApi(context, admin);
        const res = await page.goto(main.path);
        expect(res?.status()).toBe(main.status ?? 200);
        await main.ready(page);
        await page.screenshot({ path: path.join(process.env.E2E_SHOTS_DIR ?? "", `${main.name}-${size.label}.png`), fullPage: true });
      });
    }
  });
}
