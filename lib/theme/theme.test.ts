import { describe, expect, it } from "vitest";
import { parseTheme, themeCookie, themeReturnPath } from "./theme";

const ORIGIN = "http://localhost:3000";

describe("theme", () => {
  it("reads only the two explicit choices; anything else is the system's", () => {
    expect(parseTheme("dark")).toBe("dark");
    expect(parseTheme("light")).toBe("light");
    expect(parseTheme("DARK")).toBe("system");
    expect(parseTheme(undefined)).toBe("system");
  });

  it("sets a year-long cookie for a choice and clears it for the system setting", () => {
    expect(themeCookie("dark", true)).toBe("latchkey_theme=dark; Path=/; Max-Age=31536000; SameSite=Lax; Secure");
    expect(themeCookie("system", false)).toBe("latchkey_theme=; Path=/; Max-Age=0; SameSite=Lax");
  });

  it("goes back only to a path on this origin", () => {
    expect(themeReturnPath("/reset-password?token=x", null, ORIGIN)).toBe("/reset-password?token=x");
    expect(themeReturnPath("//evil.example/", `${ORIGIN}/account`, ORIGIN)).toBe("/account");
    expect(themeReturnPath("/\\evil.example", null, ORIGIN)).toBe("/");
    expect(themeReturnPath("https://evil.example/", "https://evil.example/x", ORIGIN)).toBe("/");
    expect(themeReturnPath(null, `${ORIGIN}/admin?page=2`, ORIGIN)).toBe("/admin?page=2");
    expect(themeReturnPath(null, "not a url", ORIGIN)).toBe("/");
  });
});
