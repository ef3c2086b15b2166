// The "this browser signed in to this account before" proof used by the per-account throttle.
// Keyed from the signing key ring: issued under the first key, accepted under any key in the
// ring, so rotating keys does not strand known devices.

import { getKeyRing, type KeyRing } from "@/lib/edge/keys";
import { createDeviceCodec, type DeviceEntry } from "./device-cookie";

type Codec = ReturnType<typeof createDeviceCodec>;
const byRing = new WeakMap<KeyRing, Codec[]>();

async function codecs(): Promise<Codec[]> {
  const ring = await getKeyRing();
  let list = byRing.get(ring);
  if (!list) {
    // The signer first: byKid keeps the ring's order.
    list = [...ring.byKid.values()].map((k) => createDeviceCodec(k.deviceSecret));
    byRing.set(ring, list);
  }
  return list;
}

export async function deviceKnows(value: string | undefined, userId: string): Promise<boolean> {
  if (!value) return false;
  for (const codec of await codecs()) if (await codec.knows(value, userId)) return true;
  return false;
}

export async function issueDevice(previous: string | undefined, userId: string): Promise<string> {
  const [signer, ...older] = await codecs();
  if (!signer) throw new Error("no signing key");
  // A cookie signed under a key that is no longer first keeps its accounts when re-issued.
  let carried: DeviceEntry[] = [];
  for (const codec of older) {
    carried = await codec.entries(previous);
    if (carried.length > 0) break;
  }
  return signer.issue(previous, userId, carried);
}
