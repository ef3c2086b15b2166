import { describe, expect, it } from "vitest";
import { changePasswordBodySchema, LoginBodySchema, registerBodySchema } from "@/lib/validation/fields";
import { hasFieldErrors, USERNAME_IN_PASSWORD_ADVICE, usernameInPasswordCheck, validateFields } from "./validate";

const GOOD = "glider ominous smock skimmed";
const register = registerBodySchema(15);

describe("validateFields", () => {
  it("is empty for what the handler's schema accepts", () => {
    const errors = validateFields(register, { username: "Alice", password: GOOD }, [usernameInPasswordCheck("password", GOOD, "Alice")]);
    expect(errors).toEqual({});
    expect(hasFieldErrors(errors)).toBe(false);
  });

  it("reports every field at once, in the schema's words", () => {
    const errors = validateFields(register, { username: "", password: "short", email: "nope" });
    expect(errors).toEqual({
      username: ["Username must be at least 3 characters."],
      password: ["Password must be at least 15 characters."],
      email: ["Enter a valid email address."],
    });
    expect(hasFieldErrors(errors)).toBe(true);
  });

  it("adds failed extra checks after the schema's messages for the same field", () => {
    const password = "alice";
    const errors = validateFields(register, { username: "alice", password }, [
      usernameInPasswordCheck("password", password, "alice"),
      ["confirm", true, "The two new passwords don't match."],
      ["other", false, "never shown"],
    ]);
    expect(errors).toEqual({
      password: ["Password must be at least 15 characters.", USERNAME_IN_PASSWORD_ADVICE],
      confirm: ["The two new passwords don't match."],
    });
  });

  it("counts code points as the server does, so it never refuses what the server accepts", () => {
    const emoji15 = "😀".repeat(15);
    expect(validateFields(register, { username: "alice", password: emoji15 })).toEqual({});
    expect(validateFields(register, { username: "alice", password: "😀".repeat(14) })).toHaveProperty("password");
  });

  it("lets the server decide about common passwords", () => {
    expect(validateFields(register, { username: "alice", password: "passwordpassword" })).toEqual({});
  });

  it("validates login without a minimum password length", () => {
    expect(validateFields(LoginBodySchema, { username: "Bob@Example.com", password: "x" })).toEqual({});
    expect(validateFields(LoginBodySchema, { username: "", password: "" })).toEqual({
      username: ["Enter your username or email."],
      password: ["Password is required."],
    });
  });

  it("validates a password change with the handler's rules", () => {
    const change = changePasswordBodySchema(15);
    expect(validateFields(change, { currentPassword: "old", newPassword: GOOD })).toEqual({});
    expect(validateFields(change, { currentPassword: "", newPassword: "short" })).toEqual({
      currentPassword: ["Current password is required."],
      newPassword: ["New password must be at least 15 characters."],
    });
    expect(validateFields(change, { currentPassword: GOOD, newPassword: GOOD })).toEqual({
      newPassword: ["New password must be different from the current one."],
    });
  });
});

describe("usernameInPasswordCheck", () => {
  it("applies the server's folded comparison and minimum length", () => {
    expect(usernameInPasswordCheck("newPassword", "MY FRIEND ALICE", "alice")).toEqual(["newPassword", true, USERNAME_IN_PASSWORD_ADVICE]);
    expect(usernameInPasswordCheck("password", "always albatross", "al")[1]).toBe(false);
  });

  it("keeps the wording e2e/auth.spec.ts asserts", () => {
    expect(USERNAME_IN_PASSWORD_ADVICE).toBe("Don't include your username in your password.");
  });
});
