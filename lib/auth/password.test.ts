import { threadId } from "node:worker_threads";
import bcrypt from "bcryptjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { reloadConfig } from "@/lib/config";
import { closeHashPool, dummyHash, hashPassword, needsRehash, verifyDummy, verifyPassword } from "./password";
import { hashPoolInfo, runHashTask } from "./password-pool";

function setCost(cost: number) {
  process.env.BCRYPT_COST = String(cost);
  reloadConfig();
}

beforeAll(() => setCost(4));
afterEach(() => setCost(4));
afterAll(async () => {
  delete process.env.BCRYPT_COST;
  reloadConfig();
  await closeHashPool();
});

describe("hashPassword / verifyPassword", () => {
  it("round-trips, salts every hash and tags the scheme", async () => {
    const pw = "glider ominous smock skimmed";
    const [a, b] = await Promise.all([hashPassword(pw), hashPassword(pw)]);
    expect(a).toMatch(/^\$lk1\$\$2b\$04\$[./A-Za-z0-9]{53}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(pw, a)).toBe(true);
    expect(await verifyPassword(pw, b)).toBe(true);
    expect(await verifyPassword(`${pw} `, a)).toBe(false);
    expect(await verifyPassword(pw.toUpperCase(), a)).toBe(false);
  });

  it("does not let two passwords that share their first 72 bytes verify against each other", async () => {
    const shared = "correct-horse-battery-staple-".repeat(3).slice(0, 72);
    const first = `${shared}${"A".repeat(28)}`;
    const second = `${shared}${"B".repeat(28)}`;
    expect(first).toHaveLength(100);
    // The attack this prevents: plain bcrypt ignores everything after byte 72.
    expect(bcrypt.compareSync(second, bcrypt.hashSync(first, 4))).toBe(true);

    const stored = await hashPassword(first);
    expect(await verifyPassword(first, stored)).toBe(true);
    expect(await verifyPassword(second, stored)).toBe(false);
  });

  it("round-trips a 128-character emoji password (512 UTF-8 bytes), every character counting", async () => {
    const pw = "🔐🦊".repeat(64);
    expect([...pw]).toHaveLength(128);
    expect(Buffer.byteLength(pw)).toBe(512);
    const stored = await hashPassword(pw);
    expect(await verifyPassword(pw, stored)).toBe(true);
    expect(await verifyPassword(`${pw.slice(0, -2)}🦁`, stored)).toBe(false);
  });

  it("accepts NFKC-equivalent forms of the same password", async () => {
    const stored = await hashPassword("ﬁnal café ＰＡＳＳ phrase");
    expect(await verifyPassword("final café PASS phrase", stored)).toBe(true);
    expect(await verifyPassword("final cafe\u0301 PASS phrase", stored)).toBe(true);
    expect(await verifyPassword("final cafe PASS phrase", stored)).toBe(false);
  });

  it("handles NUL inside a password without truncating at it", async () => {
    const stored = await hashPassword("before\u0000after-the-nul");
    expect(await verifyPassword("before\u0000after-the-nul", stored)).toBe(true);
    expect(await verifyPassword("before", stored)).toBe(false);
    expect(await verifyPassword("before\u0000", stored)).toBe(false);
  });

  it("refuses to hash ill-formed strings", async () => {
    await expect(hashPassword("lone \ud800 surrogate")).rejects.toThrow(TypeError);
  });
});

describe("stored values that are not ours", () => {
  const validShape = `$2b$04$${"a".repeat(53)}`;
  const malformed = [
    "",
    "garbage",
    "$lk1$",
    "$lk1$$2b$04$short",
    `$lk1$$2b$99$${"a".repeat(53)}`,
    `$lk1$$2b$03$${"a".repeat(53)}`,
    `$lk1$$2x$04$${"a".repeat(53)}`,
    `$lk1$${validShape}!`,
    `$lk2$${validShape}`,
    null,
    undefined,
    42,
  ];

  it.each(malformed)("returns false for %j without throwing", async (stored) => {
    expect(await verifyPassword("whatever password", stored as string)).toBe(false);
    expect(needsRehash(stored as string)).toBe(true);
  });

  it("refuses plain bcrypt hashes without the scheme prefix, even with the right password", async () => {
    const pw = "glider ominous smock skimmed";
    expect(await verifyPassword(pw, bcrypt.hashSync(pw, 4))).toBe(false);
    const ours = await hashPassword(pw);
    expect(await verifyPassword(pw, ours.slice("$lk1$".length))).toBe(false);
  });

  it("returns false for a non-string password", async () => {
    const stored = await hashPassword("glider ominous smock skimmed");
    expect(await verifyPassword(undefined as unknown as string, stored)).toBe(false);
    expect(await verifyPassword("lone \udfff", stored)).toBe(false);
  });
});

describe("verifyDummy", () => {
  it("always returns false", async () => {
    expect(await verifyDummy("anything")).toBe(false);
    expect(await verifyDummy("")).toBe(false);
  });

  // Equal work is shown by construction, not by timing (shared machines make timings noisy): the
  // dummy is a real bcrypt hash at the configured cost, and verifyDummy runs one comparison on it.
  it("compares against a real hash at the configured cost, once per call", async () => {
    for (const cost of [10, 12]) {
      setCost(cost);
      const hash = await dummyHash(cost);
      expect(bcrypt.getRounds(hash)).toBe(cost);
      await verifyDummy("warm-up"); // starts the pool and, below cost 12, builds the hash
      const before = hashPoolInfo().completed;
      expect(await verifyDummy("wrong password here")).toBe(false);
      expect(hashPoolInfo().completed).toBe(before + 1);
    }
  });

  it("ships a working precomputed hash for the default cost 12", async () => {
    const hash = await dummyHash(12);
    expect(bcrypt.getRounds(hash)).toBe(12);
    expect(bcrypt.compareSync("anything", hash)).toBe(false);
  });
});

describe("needsRehash", () => {
  it("is true only when the cost changed", async () => {
    const stored = await hashPassword("glider ominous smock skimmed");
    expect(needsRehash(stored)).toBe(false);
    setCost(5);
    expect(needsRehash(stored)).toBe(true);
  });
});

describe("the worker pool", () => {
  it("hashes off the main thread", async () => {
    const before = hashPoolInfo().completed;
    await hashPassword("glider ominous smock skimmed");
    const info = hashPoolInfo();
    expect(info.mode).toBe("worker");
    expect(info.completed).toBeGreaterThan(before);
    const result = await runHashTask({ op: "hash", secret: "s", cost: 4 });
    expect(result.threadId).not.toBe(threadId);
  });

  it("uses at most two threads", async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => hashPassword(`parallel password ${i}`)));
    expect(hashPoolInfo().threads).toBeLessThanOrEqual(2);
  });
});
