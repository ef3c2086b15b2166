import { describe, expect, it } from "vitest";
import { codeForStep, matchTotp, stepAt } from "./totp";

// RFC 6238 appendix B's key ("12345678901234567890") in base32.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("TOTP", () => {
  it("matches RFC 6238's SHA-1 test vectors (last 6 digits of the 8-digit values)", () => {
    const vectors: [number, string][] = [
      [59, "287082"],
      [1111111109, "081804"],
      [1111111111, "050471"],
      [1234567890, "005924"],
      [2000000000, "279037"],
    ];
    for (const [seconds, code] of vectors) expect(codeForStep(RFC_SECRET, stepAt(seconds * 1000))).toBe(code);
  });

  it("accepts the current step and one either side, nothing further", () => {
    const now = 1_800_000_015_000;
    const step = stepAt(now);
    for (const offset of [-1, 0, 1]) expect(matchTotp(RFC_SECRET, codeForStep(RFC_SECRET, step + offset), now)).toBe(step + offset);
    for (const offset of [-3, -2, 2, 3]) expect(matchTotp(RFC_SECRET, codeForStep(RFC_SECRET, step + offset), now)).toBeNull();
  });

  it("forgives spaces but nothing else", () => {
    const now = 1_800_000_015_000;
    const code = codeForStep(RFC_SECRET, stepAt(now));
    expect(matchTotp(RFC_SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toBe(stepAt(now));
    for (const bad of ["", "12345", "1234567", "abcdef", `${code}0`]) expect(matchTotp(RFC_SECRET, bad, now)).toBeNull();
  });
});
