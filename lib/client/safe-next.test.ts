import { describe, expect, it } from "vitest";
import { firstParam, safeNext } from "./safe-next";

describe("safeNext", () => {
  it.each(["/", "/dashboard", "/account?tab=sessions", "/admin/audit?type=login_failed&user=ann", "/a/b#frag", "/caf%C3%A9"])(
    "keeps the same-origin path %j",
    (path) => {
      expect(safeNext(path)).toBe(path);
    },
  );

  it.each([
    ["protocol-relative", "//evil.com"],
    ["protocol-relative with path", "//evil.com/dashboard"],
    ["triple slash", "///evil.com"],
    ["backslash", "/\\evil.com"],
    ["double backslash", "\\\\evil.com"],
    ["backslash later in the path", "/ok\\..\\evil"],
    ["encoded slashes", "/%2F%2Fevil.com"],
    ["lower-case encoded slashes", "/%2f%2fevil.com"],
    ["encoded backslash", "/%5Cevil.com"],
    ["double-encoded slashes", "/%252F%252Fevil.com"],
    ["absolute https", "https://evil.com"],
    ["absolute http to our own path", "http://localhost:3000/dashboard"],
    ["javascript scheme", "javascript:alert(1)"],
    ["javascript with an encoded newline", "javascript://%0Aalert(1)"],
    ["upper-case scheme", "JAVASCRIPT:alert(1)"],
    ["data scheme", "data:text/html,<script>alert(1)</script>"],
    ["scheme with whitespace", " javascript:alert(1)"],
    ["leading space", " /dashboard"],
    ["tab inside protocol-relative", "/\t/evil.com"],
    ["newline inside", "/\n/evil.com"],
    ["carriage return", "/dash\rboard"],
    ["encoded tab", "/%09/evil.com"],
    ["NUL", "/dash\u0000board"],
    ["DEL", "/\u007f/evil.com"],
    ["zero-width space", "/\u200b/evil.com"],
    ["relative path", "dashboard"],
    ["dot-relative", "./dashboard"],
    ["empty", ""],
    ["malformed percent encoding", "/%E0%A4%A"],
    ["too long", `/${"a".repeat(5000)}`],
  ])("refuses %s", (_label, value) => {
    expect(safeNext(value)).toBeNull();
  });

  it("refuses non-strings", () => {
    expect(safeNext(undefined)).toBeNull();
    expect(safeNext(null)).toBeNull();
    expect(safeNext(["/dashboard"])).toBeNull();
    expect(safeNext(42)).toBeNull();
  });

  it("keeps a path whose own text mentions another host or scheme (it stays on our origin)", () => {
    expect(safeNext("/search?q=https://evil.com")).toBe("/search?q=https://evil.com");
    expect(safeNext("/javascript:alert(1)")).toBe("/javascript:alert(1)");
  });
});

describe("firstParam", () => {
  it("takes the first of repeated parameters", () => {
    expect(firstParam(["/a", "/b"])).toBe("/a");
    expect(firstParam("/a")).toBe("/a");
    expect(firstParam(undefined)).toBeUndefined();
  });
});
