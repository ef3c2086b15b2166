import { createHmac, randomBytes } from "node:crypto";
import { config } from "@/lib/config";
import { isWellFormedText } from "@/lib/validation/text";
import { runHashTask } from "./password-pool";

export { closeHashPool } from "./password-pool";

// Stored format: "$lk1$" + a bcrypt hash of base64(HMAC-SHA-256("latchkey-password-v1", NFKC(pw))).
// bcrypt reads only 72 bytes and stops at NUL; the pre-hash is always 44 ASCII bytes with no NUL,
// so every character of a 128-character (up to 512-byte) password counts. The prefix names the
// scheme so a later one (e.g. "$lk2$" with a pepper, or Argon2) can live beside it. See
// docs/decisions/0003-password-hashing.md.
const SCHEME = "$lk1$";
const PREHASH_KEY = "latchkey-password-v1";
const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;
const MIN_COST = 4;
const MAX_COST = 31;

// A hash at cost 12 (the default) of 33 random bytes that were thrown away: nothing verifies
// against it, and comparing against it costs what comparing against a real hash costs.
const DUMMY_COST_12 = "$2b$12$Y4EFbap0hMPkUi0kffMFHeZFo.8iZGwwAEBxwavsbM7MsTWJarF4y";

function prehash(password: string): string {
  return createHmac("sha256", PREHASH_KEY).update(password.normalize("NFKC"), "utf8").digest("base64");
}

function checkedCost(cost: number = config().BCRYPT_COST): number {
  if (cost < MIN_COST || cost > MAX_COST) throw new Error(`BCRYPT_COST must be between ${MIN_COST} and ${MAX_COST}, got ${cost}`);
  return cost;
}

/** The bcrypt part of a stored value in the current scheme, or null for anything else. */
function parseStored(stored: unknown): { bcrypt: string; cost: number } | null {
  if (typeof stored !== "string" || !stored.startsWith(SCHEME)) return null;
  const hash = stored.slice(SCHEME.length);
  const match = BCRYPT_HASH.exec(hash);
  return match ? { bcrypt: hash, cost: Number(match[1]) } : null;
}

export async function hashPassword(password: string, cost?: number): Promise<string> {
  if (typeof password !== "string" || !isWellFormedText(password)) {
    throw new TypeError("hashPassword: the password must be a well-formed string");
  }
  const { value } = await runHashTask({ op: "hash", secret: prehash(password), cost: checkedCost(cost) });
  if (typeof value !== "string") throw new Error("hashPassword: the hashing worker returned no hash");
  return SCHEME + value;
}

/**
 * True only when the password matches. A malformed or foreign stored value (including a plain
 * bcrypt hash without the "$lk1$" prefix, which may have been truncated at 72 bytes) is false,
 * after the same bcrypt work as a real comparison, so it neither throws nor answers faster.
 */
export async function verifyPassword(password: string, stored: string, cost?: number): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed || typeof password !== "string" || !isWellFormedText(password)) {
    return verifyDummy(typeof password === "string" ? password : "", cost);
  }
  const { value } = await runHashTask({ op: "compare", secret: prehash(password), hash: parsed.bcrypt });
  return value === true;
}

let dummy: { cost: number; hash: Promise<string> } | undefined;

/** The hash a login without an account is compared against: a real bcrypt hash at `cost`. */
export function dummyHash(cost: number): Promise<string> {
  if (cost === 12) return Promise.resolve(DUMMY_COST_12);
  if (dummy?.cost !== cost) {
    const secret = randomBytes(33).toString("base64");
    const hash = runHashTask({ op: "hash", secret, cost }).then((r) => String(r.value));
    dummy = { cost, hash };
    hash.catch(() => (dummy = undefined));
  }
  return dummy.hash;
}

/**
 * Burns one bcrypt comparison at the current cost and returns false: login calls it when no
 * account matches, so "no such user" takes as long as "wrong password" (no user enumeration).
 */
export async function verifyDummy(password: string, cost?: number): Promise<false> {
  const hash = await dummyHash(checkedCost(cost));
  await runHashTask({ op: "compare", secret: prehash(typeof password === "string" ? password : ""), hash });
  return false;
}

/** True when the stored value should be replaced at the next successful login. */
export function needsRehash(stored: string, cost?: number): boolean {
  const parsed = parseStored(stored);
  return !parsed || parsed.cost !== checkedCost(cost);
}

/** Password hashing as use cases receive it in `deps`, at the configured BCRYPT_COST. */
export type Hasher = {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  verifyDummy(password: string): Promise<false>;
  needsRehash(stored: string): boolean;
};

export function createHasher(cost: number): Hasher {
  checkedCost(cost);
  return {
    hash: (password) => hashPassword(password, cost),
    verify: (password, stored) => verifyPassword(password, stored, cost),
    verifyDummy: (password) => verifyDummy(password, cost),
    needsRehash: (stored) => needsRehash(stored, cost),
  };
}
