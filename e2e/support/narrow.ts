// Checks for narrow screens: nothing wider than the screen, and controls a person can reach.
import { expect, type Locator, type Page } from "@playwright/test";

/** Fails when the page scrolls sideways (the document is wider than the screen). */
export async function expectNoHorizontalOverflow(page: Page, what: string): Promise<void> {
  const widths = await page.evaluate(() => {
    const screen = document.documentElement.clientWidth;
    // The innermost elements that stick out, to name the culprit in the failure.
    const wide = [...document.body.querySelectorAll<HTMLElement>("*")]
      .filter((el) => el.getBoundingClientRect().right > screen + 0.5)
      .filter((el) => ![...el.children].some((child) => child.getBoundingClientRect().right > screen + 0.5))
      .slice(0, 5)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}">${(el.textContent ?? "").trim().slice(0, 40)}`);
    return { page: document.documentElement.scrollWidth, screen, wide };
  });
  expect(widths.page, `${what}: page wider than the screen: ${widths.wide.join(" | ")}`).toBeLessThanOrEqual(widths.screen);
}

/**
 * The controls inside `root` that lie, even partly, beyond the screen's left or right edge, or
 * beyond the edge of a box that clips or scrolls them sideways: a person would have to find a
 * hidden horizontal scroll to reach them. Controls that are not rendered are ignored.
 */
export async function controlsOutOfReach(root: Locator): Promise<string[]> {
  return root.evaluate((el) => {
    const screen = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const control of el.querySelectorAll<HTMLElement>("a[href], button, select, input:not([type=hidden]), textarea, summary")) {
      const r = control.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      // Visually hidden text (sr-only) is 1 px and clipped on purpose.
      if (r.width <= 1 && r.height <= 1) continue;
      let left = 0;
      let right = screen;
      for (let a = control.parentElement; a && a !== document.body; a = a.parentElement) {
        const ox = getComputedStyle(a).overflowX;
        if (ox !== "visible") {
          const ar = a.getBoundingClientRect();
          left = Math.max(left, ar.left);
          right = Math.min(right, ar.right);
        }
      }
      if (r.left < left - 0.5 || r.right > right + 0.5) {
        const name = (control.getAttribute("aria-label") ?? control.textContent ?? control.id ?? "").trim().replace(/\s+/g, " ");
        out.push(
          `${control.tagName.toLowerCase()} "${name}" at ${Math.round(r.left)}–${Math.round(r.right)} (room ${Math.round(left)}–${Math.round(right)})`,
        );
      }
    }
    return out;
  });
}

/** Scrolls `control` into view and expects it visible, inside the screen, and enabled to take focus. */
export async function expectReachable(control: Locator): Promise<void> {
  await control.scrollIntoViewIfNeeded();
  await expect(control).toBeVisible();
  await expect(control).toBeInViewport();
  const box = await control.boundingBox();
  const width = await control.page().evaluate(() => document.documentElement.clientWidth);
  expect(box, "has a box").not.toBeNull();
  if (box) {
    expect(box.x, "left edge on screen").toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, "right edge on screen").toBeLessThanOrEqual(width + 0.5);
  }
}

/**
 * Elements whose text runs out of their own box (a long username as one unbreakable word):
 * the page may not widen, but the words spill over the card's edge. Boxes that clip or scroll
 * on purpose (truncated names, scrolling tables) are left out.
 */
export async function textSpilling(root: Locator): Promise<string[]> {
  return root.evaluate((el) => {
    const out: string[] = [];
    for (const box of el.querySelectorAll<HTMLElement>("p, dd, dt, li, h1, h2, h3, td, th, div, span, a, label")) {
      if (getComputedStyle(box).overflowX !== "visible" || box.clientWidth === 0) continue;
      if (getComputedStyle(box).display === "inline") continue;
      if (box.scrollWidth > box.clientWidth + 1) out.push(`<${box.tagName.toLowerCase()}>${(box.textContent ?? "").trim().slice(0, 50)}`);
    }
    return out;
  });
}
