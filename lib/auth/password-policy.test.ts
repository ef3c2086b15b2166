import { randomBytes, randomInt } from "node:crypto";
import { dictionary } from "@zxcvbn-ts/language-common";
import { describe, expect, it } from "vitest";
import { checkPasswordPolicy, warmPasswordPolicy } from "./password-policy";

const ctx = { username: "alice", email: "Alice.Smith@example.com", minLength: 15 };
const words = dictionary["diceware-common"];
const passphrase = (n: number) => Array.from({ length: n }, () => words[randomInt(words.length)]).join(" ");

describe("checkPasswordPolicy", () => {
  it.each([
    "password1234567",
    "qwertyuiopasdfgh",
    "passwordpassword123",
    "1qaz2wsx3edc4rfv",
    "iloveyouiloveyou",
    "aaaaaaaaaaaaaaaa",
    "p@$$w0rdp@$$w0rd",
  ])("refuses the guessable %s", (pw) => {
    const problems = checkPasswordPolicy(pw, ctx);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/common|easy to guess/);
  });

  it("refuses an exact entry of the shipped common-password list, ignoring case", () => {
    expect(checkPasswordPolicy("PasswordPassword", ctx)).toEqual([
      "This password is on a list of common or breached passwords. Choose another.",
    ]);
  });

  it("refuses compatibility forms of weak passwords (estimated on the NFKC form that gets hashed)", () => {
    expect(checkPasswordPolicy("ｐａｓｓｗｏｒｄ１２３４５６７", ctx)).not.toEqual([]);
  });

  it("explains with zxcvbn's feedback", () => {
    const [message] = checkPasswordPolicy("passwordpassword123", ctx);
    expect(message).toMatch(/^Password is too easy to guess\. Repeated/);
  });

  it("refuses a password containing the username, in any case or form", () => {
    for (const pw of ["my friend alice rides bikes", "MY FRIEND ALICE RIDES BIKES", "my friend ａｌｉｃｅ rides bikes"]) {
      expect(checkPasswordPolicy(pw, ctx)).toContain("Password must not contain your username.");
    }
  });

  it("refuses the email's name part when it has 3 or more characters", () => {
    expect(checkPasswordPolicy("vivid alice.smith harbour lantern", { ...ctx, username: "zed" })).toEqual([
      "Password must not contain the name part of your email address.",
    ]);
    const shortLocal = { username: "zed", email: "al@example.com", minLength: 15 };
    expect(checkPasswordPolicy("vivid falcon harbour lantern", shortLocal)).toEqual([]);
    expect(checkPasswordPolicy("vivid falcon harbour lantern", { username: "zed", email: null, minLength: 15 })).toEqual([]);
  });

  it("says the minimum and the maximum, counted in code points", () => {
    expect(checkPasswordPolicy("short", ctx)).toEqual(["Password must be at least 15 characters."]);
    expect(checkPasswordPolicy("x".repeat(19), { ...ctx, minLength: 20 })).toEqual(["Password must be at least 20 characters."]);
    expect(checkPasswordPolicy("🦊".repeat(129), ctx)).toEqual(["Password must be at most 128 characters."]);
  });

  it("refuses control characters and lone surrogates (the CLI reaches the policy without a schema)", () => {
    expect(checkPasswordPolicy("glider ominous\nsmock skimmed", ctx)).toEqual([
      "Password must not contain control characters (such as NUL or line breaks).",
    ]);
    expect(checkPasswordPolicy("glider ominous \ud800 smock skimmed", ctx)).toEqual(["Password contains an invalid character."]);
  });

  it("accepts random passphrases of 4 and 5 words", () => {
    for (const pw of ["glider ominous smock skimmed", "mosaic tundra lantern pivot orchid", passphrase(5), passphrase(5), passphrase(4)]) {
      expect(checkPasswordPolicy(pw, { ...ctx, username: "zq_tester", email: null }), pw).toEqual([]);
    }
  });

  it("accepts long random passwords up to 128 characters", () => {
    expect(checkPasswordPolicy(randomBytes(96).toString("base64"), ctx)).toEqual([]);
    expect(checkPasswordPolicy("🦊🔐🌵🎻".repeat(4), ctx)).toEqual([]);
  });

  // What bounds the work per check (zxcvbn's cost grows steeply with length): only the first 64
  // characters are analysed, which can under-estimate a long password, never pass a weak one.
  it("analyses only the first 64 characters", () => {
    warmPasswordPolicy();
    const random = randomBytes(48).toString("base64");
    expect(checkPasswordPolicy(`${"a".repeat(64)}${random}`, ctx).join(" ")).toMatch(/too easy to guess/);
    expect(checkPasswordPolicy(`${random}${"a".repeat(64)}`, ctx)).toEqual([]);
  });
});
