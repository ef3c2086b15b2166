import { describe, expect, it } from "vitest";
import { decrypt, EncryptionKeyError, encrypt, generateEncryptionKeys, needsReEncryption, parseEncryptionKeys } from "./encryption";

describe("data encryption", () => {
  it("round-trips, never stores the plaintext, and binds the value to its row", () => {
    const ring = parseEncryptionKeys(JSON.stringify(generateEncryptionKeys()));
    const stored = encrypt(ring, "JBSWY3DPEHPK3PXP", "totp:user-1");
    expect(stored).not.toContain("JBSWY3DPEHPK3PXP");
    expect(decrypt(ring, stored, "totp:user-1")).toBe("JBSWY3DPEHPK3PXP");
    expect(() => decrypt(ring, stored, "totp:user-2")).toThrow();
    expect(encrypt(ring, "same", "a")).not.toBe(encrypt(ring, "same", "a"));
  });

  it("rotates: a new first key encrypts, the old one still decrypts", () => {
    const old = generateEncryptionKeys("old-");
    const next = generateEncryptionKeys("new-");
    const before = parseEncryptionKeys(JSON.stringify(old));
    const stored = encrypt(before, "secret", "aad");
    const after = parseEncryptionKeys(JSON.stringify({ keys: [...next.keys, ...old.keys] }));
    expect(decrypt(after, stored, "aad")).toBe("secret");
    expect(needsReEncryption(after, stored)).toBe(true);
    expect(needsReEncryption(after, encrypt(after, "secret", "aad"))).toBe(false);
    expect(() => decrypt(parseEncryptionKeys(JSON.stringify(next)), stored, "aad")).toThrow(EncryptionKeyError);
  });

  it("refuses malformed key sets with a sentence naming the problem", () => {
    for (const raw of ["nope", "{}", '{"keys":[]}', '{"keys":[{"kid":"a","k":"c2hvcnQ"}]}', '{"keys":[{"k":"x"}]}']) {
      expect(() => parseEncryptionKeys(raw)).toThrow(EncryptionKeyError);
    }
  });
});
