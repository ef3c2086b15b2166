// Recovery codes: ten, each 50 random bits written as "xxxxx-xxxxx" in an unambiguous alphabet,
// shown once and stored only as SHA-256 hashes (high-entropy codes need no slow hash). Typing is
// forgiving: case, spaces and the hyphen do not matter.
import { randomInt } from "node:crypto";
import { sha256 } from "./secrets";

export const RECOVERY_CODE_COUNT = 10;
export const RECOVERY_CODES_LOW = 3;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no i, l, o, 0, 1

function oneCode(): string {
  const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, oneCode);
}

export function normaliseRecoveryCode(typed: string): string {
  const bare = typed.toLowerCase().replace(/[\s-]+/g, "");
  return bare.length === 10 ? `${bare.slice(0, 5)}-${bare.slice(5)}` : bare;
}

export function hashRecoveryCode(typed: string): string {
  return sha256(`latchkey-recovery-v1:${normaliseRecoveryCode(typed)}`);
}
