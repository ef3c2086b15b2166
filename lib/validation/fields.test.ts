import { describe, expect, it } from "vitest";
import {
  AdminUserPatchSchema,
  AuditQuerySchema,
  changePasswordBodySchema,
  codePointLength,
  EmailSchema,
  fieldErrors,
  ListUsersQuerySchema,
  LoginBodySchema,
  LoginIdentifierSchema,
  passwordSchema,
  RefreshBodySchema,
  registerBodySchema,
  UsernameSchema,
} from "./fields";

const register = registerBodySchema(15);
const good = { username: "alice", password: "glider ominous smock skimmed" };

function errorsOf(schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, input: unknown) {
  const r = schema.safeParse(input);
  expect(r.success).toBe(false);
  return fieldErrors(r.error as Parameters<typeof fieldErrors>[0]);
}

describe("mass assignment", () => {
  it.each(["role", "id", "disabled", "passwordHash", "isAdmin"])("register refuses the unknown key %s", (key) => {
    const fields = errorsOf(register, { ...good, [key]: "admin" });
    expect(Object.keys(fields)).toEqual([key]);
  });

  it("refuses __proto__ and constructor keys as they arrive from JSON.parse", () => {
    const body = JSON.parse(
      `{"username":"alice","password":"${good.password}","__proto__":{"role":"admin"},"constructor":{"prototype":{}}}`,
    );
    const fields = errorsOf(register, body);
    expect(Object.keys(fields).sort()).toEqual(["__proto__", "constructor"]);
    expect(JSON.parse(JSON.stringify(fields))).toHaveProperty("__proto__");
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  it.each([
    ["login", LoginBodySchema, { username: "a", password: "b", role: "admin" }],
    ["change password", changePasswordBodySchema(15), { currentPassword: "a", newPassword: good.password, userId: "x" }],
    ["admin patch", AdminUserPatchSchema, { role: "admin", passwordHash: "x" }],
    ["refresh", RefreshBodySchema, { refresh_token: "t", sid: "s" }],
    ["list users", ListUsersQuerySchema, { q: "a", admin: "1" }],
    ["audit", AuditQuerySchema, { type: "login_failed", admin: "1" }],
  ])("%s refuses unknown keys", (_name, schema, input) => {
    expect(schema.safeParse(input).success).toBe(false);
  });

  it("reports errors about the body as a whole under _", () => {
    expect(errorsOf(register, [])).toHaveProperty("_");
    expect(errorsOf(AdminUserPatchSchema, {})).toEqual({ _: ["Send role, disabled or both."] });
  });
});

describe("control characters", () => {
  it.each(["\u0000", "\n", "\u001b", "\u007f", "\u0085"])("refuses %j in passwords, names and tokens", (c) => {
    expect(errorsOf(register, { ...good, password: `${good.password}${c}` })).toHaveProperty("password");
    expect(errorsOf(register, { ...good, username: `ali${c}ce` })).toHaveProperty("username");
    expect(errorsOf(LoginBodySchema, { username: `alice${c}`, password: "x" })).toHaveProperty("username");
    expect(errorsOf(RefreshBodySchema, { refresh_token: `abc${c}` })).toHaveProperty("refresh_token");
  });

  it("says why a NUL is refused", () => {
    expect(errorsOf(register, { ...good, password: `${good.password}\u0000` }).password).toEqual([
      "Password must not contain control characters (such as NUL or line breaks).",
    ]);
  });

  it("refuses lone surrogates, which UTF-8 would silently turn into U+FFFD", () => {
    expect(errorsOf(register, JSON.parse(`{"username":"alice","password":"${good.password}\\ud800"}`))).toHaveProperty("password");
  });
});

describe("UsernameSchema", () => {
  it("folds case and compatibility forms", () => {
    expect(UsernameSchema.parse("Alice")).toBe("alice");
    expect(UsernameSchema.parse("ＡＬＩＣＥ_９")).toBe("alice_9");
    expect(UsernameSchema.parse("\u212Aelvin")).toBe("kelvin"); // KELVIN SIGN
  });

  it("keeps 3–32 of a-z 0-9 _ . -", () => {
    expect(UsernameSchema.parse("a.b-c_1")).toBe("a.b-c_1");
    expect(UsernameSchema.safeParse("ab").success).toBe(false);
    expect(UsernameSchema.safeParse("a".repeat(32)).success).toBe(true);
    expect(UsernameSchema.safeParse("a".repeat(33)).success).toBe(false);
  });

  it("refuses rather than trims spaces, and refuses other scripts", () => {
    for (const bad of [" alice", "alice ", "al ice", "alicé", "али", "alice@x", "İstanbul"]) {
      expect(UsernameSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("gives messages a person can act on", () => {
    expect(errorsOf(register, { ...good, username: "ab" }).username).toEqual(["Username must be at least 3 characters."]);
    expect(errorsOf(register, { password: good.password }).username).toEqual(["Username is required."]);
    expect(errorsOf(register, { ...good, username: 7 }).username).toEqual(["Username must be text."]);
  });
});

describe("EmailSchema", () => {
  it("normalises with NFKC, trims and lowercases", () => {
    expect(EmailSchema.parse("  Alice@Example.COM ")).toBe("alice@example.com");
    expect(EmailSchema.parse("ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ")).toBe("alice@example.com");
    expect(EmailSchema.parse("José@Exämple.DE")).toBe("josé@exämple.de");
  });

  it("refuses what is not an address, and more than 254 characters", () => {
    for (const bad of ["alice", "a@b", "a@@b.com", "a b@c.com", ".a@b.com", "a..b@c.com", "a@-b.com", "a@b.c0m"]) {
      expect(EmailSchema.safeParse(bad).success, bad).toBe(false);
    }
    const at254 = `${"a".repeat(64)}@${`${"b".repeat(61)}.`.repeat(3)}com`;
    expect(at254).toHaveLength(254);
    expect(EmailSchema.safeParse(at254).success).toBe(true);
    expect(errorsOf(EmailSchema, `${at254}m`)).toEqual({ _: ["Email must be at most 254 characters."] });
  });

  it("is optional in registration: absent, null and empty mean no email", () => {
    expect(register.parse(good).email).toBeUndefined();
    expect(register.parse({ ...good, email: null }).email).toBeUndefined();
    expect(register.parse({ ...good, email: "  " }).email).toBeUndefined();
    expect(register.parse({ ...good, email: "Bob@Example.org" }).email).toBe("bob@example.org");
  });
});

describe("passwordSchema", () => {
  const schema = passwordSchema(15);

  it("counts code points, not UTF-16 units", () => {
    const emoji14 = "😀".repeat(14); // 28 UTF-16 units
    expect(emoji14.length).toBe(28);
    expect(codePointLength(emoji14)).toBe(14);
    expect(schema.safeParse(emoji14).success).toBe(false);
    expect(schema.safeParse("😀".repeat(15)).success).toBe(true);
    expect(schema.safeParse("😀".repeat(128)).success).toBe(true);
    expect(schema.safeParse("😀".repeat(129)).success).toBe(false);
  });

  it("has inclusive bounds at 15 and 128", () => {
    expect(schema.safeParse("x".repeat(14)).success).toBe(false);
    expect(schema.safeParse("x".repeat(15)).success).toBe(true);
    expect(schema.safeParse("x".repeat(128)).success).toBe(true);
    expect(schema.safeParse("x".repeat(129)).success).toBe(false);
    expect(errorsOf(register, { ...good, password: "x".repeat(14) }).password).toEqual(["Password must be at least 15 characters."]);
    expect(errorsOf(register, { ...good, password: "x".repeat(129) }).password).toEqual(["Password must be at most 128 characters."]);
  });

  it("follows the configured minimum", () => {
    expect(passwordSchema(8).safeParse("x".repeat(8)).success).toBe(true);
    expect(registerBodySchema(20).safeParse({ ...good, password: "x".repeat(19) }).success).toBe(false);
  });

  it("never trims or changes the password", () => {
    const pw = "  spaces around, tabs no  ";
    expect(schema.parse(pw)).toBe(pw);
    expect(schema.parse("ﬁne ﬁne ﬁne ﬁne")).toBe("ﬁne ﬁne ﬁne ﬁne");
  });
});

describe("login, change password, admin and queries", () => {
  it("folds the login identifier and has no minimum password length", () => {
    expect(LoginBodySchema.parse({ username: "  Bob@Example.com ", password: "x", token_delivery: "body" })).toEqual({
      username: "bob@example.com",
      password: "x",
      token_delivery: "body",
    });
    expect(LoginIdentifierSchema.safeParse("").success).toBe(false);
    expect(LoginBodySchema.safeParse({ username: "bob", password: "x", token_delivery: "url" }).success).toBe(false);
  });

  it("wants a different new password", () => {
    const fields = errorsOf(changePasswordBodySchema(15), { currentPassword: good.password, newPassword: good.password });
    expect(fields.newPassword).toEqual(["New password must be different from the current one."]);
  });

  it("validates the admin patch", () => {
    expect(AdminUserPatchSchema.parse({ disabled: true })).toEqual({ disabled: true });
    expect(AdminUserPatchSchema.safeParse({ role: "root" }).success).toBe(false);
    expect(AdminUserPatchSchema.safeParse({ disabled: "true" }).success).toBe(false);
  });

  it("reads query strings", () => {
    expect(ListUsersQuerySchema.parse({})).toEqual({ sort: "created", limit: 20 });
    expect(
      ListUsersQuerySchema.parse({ q: " Ali ", limit: "100", cursor: "", role: "admin", status: "disabled", sort: "last_seen" }),
    ).toEqual({
      q: "ali",
      role: "admin",
      status: "disabled",
      sort: "last_seen",
      limit: 100,
    });
    for (const bad of [{ role: "root" }, { status: "gone" }, { sort: "password" }])
      expect(ListUsersQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    expect(AuditQuerySchema.parse({ from: "2026-11-01", to: "2026-11-30T12:00:00Z", actor: "Admin" })).toEqual({
      from: new Date("2026-11-01"),
      to: new Date("2026-11-30T12:00:00Z"),
      actor: "admin",
      limit: 50,
    });
    expect(AuditQuerySchema.safeParse({ from: "yesterday" }).success).toBe(false);
    for (const limit of ["0", "101", "2.5", "ten"]) expect(ListUsersQuerySchema.safeParse({ limit }).success, limit).toBe(false);
    expect(AuditQuerySchema.parse({ type: "refresh_token_reuse", user: "Bob" })).toEqual({
      type: "refresh_token_reuse",
      user: "bob",
      limit: 50,
    });
    expect(AuditQuerySchema.safeParse({ type: "DROP TABLE" }).success).toBe(false);
  });

  it("limits the refresh token", () => {
    expect(RefreshBodySchema.parse({})).toEqual({});
    expect(RefreshBodySchema.safeParse({ refresh_token: "t".repeat(200) }).success).toBe(true);
    expect(RefreshBodySchema.safeParse({ refresh_token: "t".repeat(201) }).success).toBe(false);
  });
});

describe("emails as identities: invisible characters and mixed scripts", () => {
  const invisible = ["Email must not contain invisible characters."];
  const mixed = ["Email mixes alphabets (for example Latin and Cyrillic); type it in one alphabet."];

  it.each([
    ["ZERO WIDTH JOINER", "\u200d"],
    ["ZERO WIDTH SPACE", "\u200b"],
    ["SOFT HYPHEN", "\u00ad"],
    ["WORD JOINER", "\u2060"],
    ["ZERO WIDTH NO-BREAK SPACE (BOM)", "\ufeff"],
    ["MONGOLIAN VOWEL SEPARATOR", "\u180e"],
    ["COMBINING GRAPHEME JOINER", "\u034f"],
  ])("refuses a %s in the local part or the domain", (_name, c) => {
    expect(errorsOf(EmailSchema, `al${c}ice@example.com`)).toEqual({ _: invisible });
    expect(errorsOf(EmailSchema, `alice@exa${c}mple.com`)).toEqual({ _: invisible });
    expect(errorsOf(EmailSchema, `alice@example.com${c}`)).toEqual({ _: invisible });
    expect(errorsOf(register, { ...good, email: `al${c}ice@example.com` }).email).toEqual(invisible);
  });

  it("refuses other format characters and Hangul fillers, which look like nothing", () => {
    for (const c of ["\u200e", "\u202e", "\u2066", "\ufe0f", "\u3164", "\u{e0041}"]) {
      expect(errorsOf(EmailSchema, `al${c}ice@example.com`), JSON.stringify(c)).toEqual({ _: invisible });
    }
  });

  it("still accepts a plain address", () => {
    expect(EmailSchema.parse("alice@example.com")).toBe("alice@example.com");
    expect(EmailSchema.parse("Alice.Smith+tag@mail.example.co.uk")).toBe("alice.smith+tag@mail.example.co.uk");
  });

  it("refuses a part that mixes scripts", () => {
    for (const bad of [
      "p\u0430ypal@example.com", // Cyrillic а in a Latin local part
      "ivan\u0438@example.com", // Latin and Cyrillic
      "alice@ex\u03b1mple.com", // Greek α in a Latin domain label
      "alice@\u0440aypal.com", // Cyrillic р
      "alice@example.c\u043em", // Cyrillic о in the TLD
      "иван@пример.р\u0444x", // Latin x in a Cyrillic TLD
    ]) {
      expect(errorsOf(EmailSchema, bad), bad).toEqual({ _: mixed });
    }
  });

  it("accepts single-script internationalised addresses, each part in its own script", () => {
    expect(EmailSchema.parse("josé@exämple.de")).toBe("josé@exämple.de");
    expect(EmailSchema.parse("ИВАН@ПРИМЕР.РФ")).toBe("иван@пример.рф");
    expect(EmailSchema.parse("用户@例子.中国")).toBe("用户@例子.中国");
    expect(EmailSchema.parse("ελένη@παράδειγμα.ελ")).toBe("ελένη@παράδειγμα.ελ");
    expect(EmailSchema.parse("संपर्क@डाटामेल.भारत")).toBe("संपर्क@डाटामेल.भारत");
    expect(EmailSchema.parse("อีเมล@ตัวอย่าง.ไทย")).toBe("อีเมล@ตัวอย่าง.ไทย");
    expect(EmailSchema.parse("ivan@пример.рф")).toBe("ivan@пример.рф"); // parts differ, each is one script
    expect(EmailSchema.parse("user.123_x@example-2.com")).toBe("user.123_x@example-2.com"); // digits, punctuation: Common
  });

  it("allows UTS #39's Japanese, Chinese and Korean mixes with Latin", () => {
    expect(EmailSchema.safeParse("山田タロウ@example.jp").success).toBe(true); // Han + Katakana
    expect(EmailSchema.safeParse("やまだtaro@例え.jp").success).toBe(true); // Hiragana + Latin
    expect(EmailSchema.safeParse("ㄅㄆ中文abc@example.tw").success).toBe(true); // Bopomofo + Han + Latin
    expect(EmailSchema.safeParse("김철수abc漢@example.kr").success).toBe(true); // Hangul + Latin + Han
    expect(errorsOf(EmailSchema, "カタ한글@example.jp")).toEqual({ _: mixed }); // Katakana + Hangul
  });

  it("refuses invisible characters in the login identifier, and in usernames by their character set", () => {
    expect(errorsOf(LoginIdentifierSchema, "al\u200dice@example.com")).toEqual({
      _: ["Username or email must not contain invisible characters."],
    });
    expect(errorsOf(LoginBodySchema, { username: "ali\u200bce", password: "x" }).username).toEqual([
      "Username or email must not contain invisible characters.",
    ]);
    expect(LoginIdentifierSchema.parse("Alice@Example.com")).toBe("alice@example.com");
    expect(UsernameSchema.safeParse("al\u200dice").success).toBe(false);
  });
});
