import { describe, expect, it } from "vitest";
import { createDeviceCodec, DEVICE_COOKIE_MAX_AGE_SECONDS } from "./device-cookie";

const secret = (fill: number) => new Uint8Array(32).fill(fill);
const DAY_MS = 86_400_000;

function clock(start = Date.UTC(2026, 0, 1)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("device cookie", () => {
  it("round-trips: an issued value knows its account and no other", async () => {
    const codec = createDeviceCodec(secret(1));
    const value = await codec.issue(undefined, "user-a");
    expect(value).toMatch(/^d1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await codec.knows(value, "user-a")).toBe(true);
    expect(await codec.knows(value, "user-b")).toBe(false);
    expect(await codec.knows(undefined, "user-a")).toBe(false);
  });

  it("keeps earlier accounts when another signs in, most recent first", async () => {
    const codec = createDeviceCodec(secret(1));
    const one = await codec.issue(undefined, "user-a");
    const two = await codec.issue(one, "user-b");
    const three = await codec.issue(two, "user-a");
    expect(await codec.knows(two, "user-a")).toBe(true);
    expect(await codec.knows(two, "user-b")).toBe(true);
    const payload = JSON.parse(Buffer.from(three.split(".")[1] ?? "", "base64url").toString("utf8"));
    expect(payload.map((e: [string, number]) => e[0])).toEqual(["user-a", "user-b"]);
  });

  it("refuses a tampered, truncated or re-signed payload", async () => {
    const codec = createDeviceCodec(secret(1));
    const value = await codec.issue(undefined, "user-a");
    const [version, payload, mac] = value.split(".") as [string, string, string];
    const forged = Buffer.from(JSON.stringify([["user-b", Math.floor(Date.now() / 1000)]])).toString("base64url");
    const flipped = (mac[0] === "A" ? "B" : "A") + mac.slice(1);
    for (const bad of [
      `${version}.${forged}.${mac}`,
      `${version}.${payload}.${flipped}`,
      `${version}.${payload}.${mac.slice(0, -2)}`,
      `${version}.${payload}`,
      value.slice(0, -1),
      `${value}.x`,
      `d0.${payload}.${mac}`,
      "garbage",
      "d1.!!!.???",
      "",
      "x".repeat(100_000),
    ]) {
      expect(await codec.knows(bad, "user-a"), bad.slice(0, 60)).toBe(false);
      expect(await codec.knows(bad, "user-b"), bad.slice(0, 60)).toBe(false);
    }
    // A forged previous value is dropped, not merged: issue() starts fresh.
    const fresh = await codec.issue(`${version}.${forged}.${mac}`, "user-c");
    expect(await codec.knows(fresh, "user-c")).toBe(true);
    expect(await codec.knows(fresh, "user-b")).toBe(false);
  });

  it("refuses a value signed under another key", async () => {
    const mine = createDeviceCodec(secret(1));
    const theirs = createDeviceCodec(secret(2));
    const foreign = await theirs.issue(undefined, "user-a");
    expect(await mine.knows(foreign, "user-a")).toBe(false);
    const fresh = await mine.issue(foreign, "user-b");
    expect(await mine.knows(fresh, "user-a")).toBe(false);
    expect(await mine.knows(fresh, "user-b")).toBe(true);
  });

  it("forgets an account 365 days after its last sign-in on this device", async () => {
    const c = clock();
    const codec = createDeviceCodec(secret(1), { now: c.now });
    const first = await codec.issue(undefined, "user-a");
    c.advance(200 * DAY_MS);
    const second = await codec.issue(first, "user-b");
    c.advance(165 * DAY_MS);
    expect(await codec.knows(second, "user-a")).toBe(true);
    c.advance(1_000);
    expect(await codec.knows(second, "user-a")).toBe(false);
    expect(await codec.knows(second, "user-b")).toBe(true);
    // Renewed by signing in again; expired entries are not carried into the new value.
    const third = await codec.issue(second, "user-b");
    c.advance(DEVICE_COOKIE_MAX_AGE_SECONDS * 1000 - 1_000);
    expect(await codec.knows(third, "user-b")).toBe(true);
    c.advance(-DEVICE_COOKIE_MAX_AGE_SECONDS * 1000);
    expect(await codec.knows(third, "user-a")).toBe(false);
  });

  it("keeps at most ten accounts, dropping the least recent", async () => {
    const codec = createDeviceCodec(secret(1));
    let value: string | undefined;
    for (let i = 0; i < 12; i++) value = await codec.issue(value, `user-${i}`);
    for (let i = 0; i < 12; i++) expect(await codec.knows(value, `user-${i}`), `user-${i}`).toBe(i >= 2);
    expect(value?.length).toBeLessThan(1_000);
  });

  it("refuses short secrets and unusable ids", async () => {
    expect(() => createDeviceCodec(new Uint8Array(16))).toThrow(/32 bytes/);
    const codec = createDeviceCodec(secret(1));
    await expect(codec.issue(undefined, "")).rejects.toThrow();
    await expect(codec.issue(undefined, "x".repeat(200))).rejects.toThrow();
  });
});
