import { afterEach, describe, expect, it } from "vitest";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { deviceKnows, issueDevice } from "./device";

const saved = process.env.AUTH_SIGNING_KEYS;
afterEach(() => {
  process.env.AUTH_SIGNING_KEYS = saved;
});

describe("known-device cookie under key rotation", () => {
  it("stays known while its key is anywhere in the ring, and not after the key is removed", async () => {
    const oldKeys = await generateKeySet();
    const newKeys = await generateKeySet();
    process.env.AUTH_SIGNING_KEYS = JSON.stringify(oldKeys);
    const cookie = await issueDevice(undefined, "user-1");
    expect(await deviceKnows(cookie, "user-1")).toBe(true);
    expect(await deviceKnows(cookie, "user-2")).toBe(false);

    process.env.AUTH_SIGNING_KEYS = JSON.stringify({ keys: [...newKeys.keys, ...oldKeys.keys] });
    expect(await deviceKnows(cookie, "user-1")).toBe(true);
    // Re-issued under the new signer, it carries the account over.
    const reissued = await issueDevice(cookie, "user-2");
    process.env.AUTH_SIGNING_KEYS = JSON.stringify(newKeys);
    expect(await deviceKnows(reissued, "user-1")).toBe(true);
    expect(await deviceKnows(reissued, "user-2")).toBe(true);
    expect(await deviceKnows(cookie, "user-1")).toBe(false);
  });
});
