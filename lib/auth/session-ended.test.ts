import { describe, expect, it } from "vitest";
import { SESSION_ENDED_CODES, sessionEndedCode, sessionEndedSentence } from "./session-ended";
import { REVOCATION_REASONS } from "./session-store";

describe("session-ended codes", () => {
  it("gives every revocation reason a code with a sentence", () => {
    for (const reason of REVOCATION_REASONS) {
      const code = sessionEndedCode(reason);
      expect(code, reason).not.toBeNull();
      expect(sessionEndedSentence(code)).toMatch(/\.$/);
    }
  });

  it("uses a code for every sentence it has", () => {
    for (const code of SESSION_ENDED_CODES) expect(sessionEndedSentence(code)).toBeTruthy();
  });

  it("says the brief's sentences", () => {
    expect(sessionEndedSentence("password_changed")).toBe("You were signed out because your password was changed.");
    expect(sessionEndedSentence("admin")).toBe("You were signed out because an administrator ended your sessions.");
    expect(sessionEndedSentence("other_device")).toBe("You were signed out because you signed out on another device.");
    expect(sessionEndedSentence("signed_out")).toBe("You have signed out.");
  });

  it.each([undefined, null, "", "toString", "__proto__", "revoked_by_admin", "<script>", "PASSWORD_CHANGED"])(
    "shows nothing for %s from the address",
    (code) => {
      expect(sessionEndedSentence(code)).toBeNull();
    },
  );

  it.each([undefined, null, "", "toString", "constructor", "something_new"])("maps no code for the stored reason %s", (reason) => {
    expect(sessionEndedCode(reason)).toBeNull();
  });
});
