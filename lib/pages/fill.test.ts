import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { escapeFlight, escapeHtml, fillShell, ShellFillError, scriptHash } from "./fill";
import { derivedSlot, numberSlot, slot, slotName } from "./slots";

const HOSTILE = [
  "plain",
  `a"b'c&d<e>f`,
  "</script><script>alert(1)</script>",
  "$1",
  "$$",
  "line\u2028sep\u2029",
  "\\back\\slash",
  "⟦username⟧",
  "é ✓ 𝄞",
];

/** A flight script as Next writes it: rows of JSON in a JSON string literal, with < > & U+2028 U+2029 escaped. */
function flightScript(rows: string): string {
  const literal = JSON.stringify(rows).replace(/[&<>\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `self.__next_f.push([1,${literal}])`;
}

/** What React Flight writes for a string prop: JSON, with a leading "$" doubled. */
function flightRow(props: Record<string, string>): string {
  const escaped = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.startsWith("$") ? `$${v}` : v]));
  return `1:["$","span",null,${JSON.stringify(escaped)}]\n`;
}

describe("slots", () => {
  it("names a slot, tells a slot from a value, derives one, and numbers within range", () => {
    expect(slotName(slot("user.name"))).toBe("user.name");
    expect(slotName("user.name")).toBeNull();
    expect(slotName(`x${slot("a")}`)).toBeNull();
    expect(derivedSlot(slot("createdAt"), "date")).toBe(slot("createdAt:date"));
    expect(derivedSlot("2026-12-01", "date")).toBeNull();
    expect(numberSlot(1)).toBe(9_007_199_254_740_001);
    expect(() => numberSlot(0)).toThrow(RangeError);
    expect(() => numberSlot(991)).toThrow(RangeError);
  });
});

describe("fillShell", () => {
  it("fills HTML text and attributes exactly as React renders the real value", () => {
    const shell = renderToStaticMarkup(createElement("p", { title: slot("v") }, `Hello, ${slot("v")}`));
    for (const value of HOSTILE) {
      const real = renderToStaticMarkup(createElement("p", { title: value }, `Hello, ${value}`));
      expect(fillShell(shell, { text: { v: value } }).html, value).toBe(real);
      expect(escapeHtml(value)).toBe(renderToStaticMarkup(createElement("b", null, value)).slice(3, -4));
    }
  });

  it("fills flight data as Next inlines the real value, a whole string prop's leading $ included, and the script's value is the real one", () => {
    const shell = `<script>${flightScript(flightRow({ title: slot("v"), children: `Hi ${slot("v")}` }))}</script>`;
    for (const value of HOSTILE) {
      const real = `<script>${flightScript(flightRow({ title: value, children: `Hi ${value}` }))}</script>`;
      const { html, scriptHashes } = fillShell(shell, { text: { v: value } });
      expect(html, value).toBe(real);
      expect(scriptHashes).toEqual([scriptHash(real.slice("<script>".length, -"</script>".length))]);
      // Never closes the script early, whatever the value.
      expect(html.match(/<\/script>/g)).toHaveLength(1);
    }
    expect(escapeFlight("$x", true)).toBe("$$x");
    expect(escapeFlight("$x", false)).toBe("$x");
  });

  it("hashes every inline script after filling, not the ones loaded from a src, and replaces number slots", () => {
    const n = numberSlot(7);
    const shell = `<script src="/a.js"></script><script>x(${n})</script><script>y()</script><p>${slot("a")}</p>`;
    const { html, scriptHashes } = fillShell(shell, { text: { a: "A" }, numbers: { [n]: 1_796_000_000_000 } });
    expect(html).toBe(`<script src="/a.js"></script><script>x(1796000000000)</script><script>y()</script><p>A</p>`);
    expect(scriptHashes).toEqual([scriptHash("x(1796000000000)"), scriptHash("y()")]);
  });

  it("refuses a slot it has no value for, and never reads a value back as a slot", () => {
    expect(() => fillShell(`<p>${slot("missing")}</p>`, { text: {} })).toThrow(ShellFillError);
    const { html } = fillShell(`<p>${slot("a")} ${slot("b")}</p>`, { text: { a: slot("b"), b: "B" } });
    expect(html).toBe(`<p>${slot("b")} B</p>`);
    expect(() => fillShell("<script>f(1)</script>", { text: {}, numbers: { [numberSlot(1)]: Number.NaN } })).toThrow(ShellFillError);
  });
});
