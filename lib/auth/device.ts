// The "this browser signed in to this account before" proof used by the per-account throttle.
// Keyed from the signing key ring: issued under the first key, accepted under any key in the
// ring, so rotating keys does not strand known devices.
import { createHash } from "node:crypto";
import { createDeviceCodec } from "./device-cookie";
import { getKeyRing } from "./keys";

type Codec = ReturnType<typeof createDeviceCodec>;
let cache: { kids: string; codecs: Codec[] } | undefined;

async function codecs(): Promise<Codec[]> {
  const ring = await getKeyRing();
  const kids = [...ring.byKid.keys()].join(",");
  if (cache?.kids !== kids) {
    const raw = JSON.parse(process.env.AUTH_SIGNING_KEYS ?? "{}") as { keys?: { kid?: string; d?: string }[] };
    const list = (raw.keys ?? []).map((k) =>
      createDeviceCodec(new Uint8Array(createHash("sha256").update(`latchkey-device-v1:${k.kid}:${k.d}`).digest())),
    );
    cache = { kids, codecs: list };
  }
  return cache.codecs;
}

export async function deviceKnows(value: string | undefined, userId: string): Promise<boolean> {
  if (!value) return false;
  for (const codec of await codecs()) if (await codec.knows(value, userId)) return true;
  return false;
}

export async function issueDevice(previous: string | undefined, userId: string): Promise<string> {
  const [signer] = await codecs();
  if (!signer) throw new Error("no signing key");
  return signer.issue(previous, userId);
}
