import { describe, expect, it } from "vitest";
import { PASSWORD_MENTIONS_USERNAME_MESSAGE, PERSONAL_WORD_MIN_LENGTH, passwordMentionsUsername } from "./fields";

describe("passwordMentionsUsername", () => {
  it("finds the username in any case or compatibility form", () => {
    for (const pw of ["my friend alice rides bikes", "MY FRIEND ALICE RIDES BIKES", "my friend ａｌｉｃｅ rides bikes", "alice"]) {
      expect(passwordMentionsUsername(pw, "alice"), pw).toBe(true);
    }
    expect(passwordMentionsUsername("glider ominous smock skimmed", "Alice")).toBe(false);
  });

  it("folds the username too, so the typed and the stored form agree", () => {
    expect(passwordMentionsUsername("ride with alice today", "ＡＬＩＣＥ")).toBe(true);
    expect(passwordMentionsUsername("ride with alice today", "ALICE")).toBe(true);
  });

  it("ignores usernames shorter than the minimum, which would refuse too much", () => {
    expect(PERSONAL_WORD_MIN_LENGTH).toBe(3);
    expect(passwordMentionsUsername("always about albatrosses", "al")).toBe(false);
    expect(passwordMentionsUsername("anything at all", "")).toBe(false);
    expect(passwordMentionsUsername("a pal at the bay", "pal")).toBe(true);
  });

  it("keeps the server's wording", () => {
    expect(PASSWORD_MENTIONS_USERNAME_MESSAGE).toBe("Password must not contain your username.");
  });
});
