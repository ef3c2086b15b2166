// Slots: the placeholders a page's shell is prerendered with, where the person's data goes
// (docs/decisions/0023-dashboard-shell.md). A shell is built once with a slot in place of each
// value; lib/pages/fill.ts puts the values in per request, escaped for where each slot landed (the
// HTML, or the flight data in an inline script). Isomorphic: the components render slots on the
// server at build time, and nothing here touches Node.

const OPEN = "\u27e6"; // ⟦
const CLOSE = "\u27e7"; // ⟧
const NAME = "[a-zA-Z][a-zA-Z0-9.:]*";

/** What any slot looks like in a shell (the name in group 1). */
export const SLOT_PATTERN = new RegExp(`${OPEN}(${NAME})${CLOSE}`, "g");

/** The placeholder for the text value `name`. */
export function slot(name: string): string {
  return `${OPEN}${name}${CLOSE}`;
}

/** The slot's name, or null when `value` is a real value. */
export function slotName(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const match = new RegExp(`^${OPEN}(${NAME})${CLOSE}$`).exec(value);
  return match?.[1] ?? null;
}

/**
 * A value derived on the server from a slot (a date formatted for display): the slot
 * `name:how`, which the fill gives the value the same function makes of the real one. Null for a
 * real value, which the caller formats as usual.
 */
export function derivedSlot(value: unknown, how: string): string | null {
  const name = slotName(value);
  return name === null ? null : slot(`${name}:${how}`);
}

/**
 * Numbers cannot hold a text slot. A shell's numeric props (a token's expiry time) are these: large,
 * exact integers no page has any other reason to contain, which the fill replaces digit for digit.
 */
const NUMBER_BASE = 9_007_199_254_740_000;
export function numberSlot(index: number): number {
  if (!Number.isInteger(index) || index < 1 || index > 990) throw new RangeError("numberSlot: 1 to 990");
  return NUMBER_BASE + index;
}
