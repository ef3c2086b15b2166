// The proof that a browser has signed in to an account before (SPEC "Throttling", rule B): a
// failed-login storm against an account refuses new devices but not this one, so an attacker
// cannot lock the owner out. WebCrypto only, so the module runs on any runtime.

export type DeviceCodec = {
  /**
   * A new cookie value naming `userId` first, keeping the still-valid accounts of `previous` and
   * any `carried` ones (read from a cookie signed under an older key).
   */
  issue(previous: string | undefined, userId: string, carried?: DeviceEntry[]): Promise<string>;
  /** The unexpired [accountId, signedInAt] entries of an intact value signed with this key; [] otherwise. */
  entries(value: string | undefined): Promise<DeviceEntry[]>;
  /** Whether `value` is an intact, unexpired cookie on which `userId` signed in within the max age. */
  knows(value: string | undefined, userId: string): Promise<boolean>;
};

export type DeviceCodecOptions = {
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  maxAgeSeconds?: number;
  maxAccounts?: number;
};

export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
const MAX_ACCOUNTS = 10;
const MAX_ID_LENGTH = 128;
// Bigger than ten entries can be; anything longer is not ours, and is refused before any work.
const MAX_VALUE_LENGTH = 3_000;
const VERSION = "d1";
// Domain separation: a MAC made under this key for any other purpose never verifies here.
const PURPOSE = "latchkey device cookie\0";

/** [user id, last successful sign-in in epoch seconds], most recent first. */
/** [accountId, signedInAt in epoch seconds] */
export type DeviceEntry = [string, number];
type Entry = DeviceEntry;

const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function isEntry(x: unknown): x is Entry {
  return (
    Array.isArray(x) &&
    x.length === 2 &&
    typeof x[0] === "string" &&
    x[0].length > 0 &&
    x[0].length <= MAX_ID_LENGTH &&
    Number.isSafeInteger(x[1])
  );
}

export function createDeviceCodec(secret: Uint8Array, options: DeviceCodecOptions = {}): DeviceCodec {
  // RFC 2104: a key shorter than the hash output weakens HMAC-SHA-256.
  if (secret.byteLength < 32) throw new Error("device cookie secret must be at least 32 bytes");
  const now = () => Math.floor((options.now ?? Date.now)() / 1000);
  const maxAge = options.maxAgeSeconds ?? DEVICE_COOKIE_MAX_AGE_SECONDS;
  const maxAccounts = options.maxAccounts ?? MAX_ACCOUNTS;
  const key = crypto.subtle.importKey("raw", new Uint8Array(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  const signedBytes = (body: string) => encoder.encode(PURPOSE + body);

  /** The unexpired entries of an intact value; [] for anything tampered, foreign or malformed. */
  async function read(value: string | undefined): Promise<Entry[]> {
    if (!value || value.length > MAX_VALUE_LENGTH) return [];
    const [version, payload, mac, extra] = value.split(".");
    if (version !== VERSION || payload === undefined || mac === undefined || extra !== undefined) return [];
    const macBytes = fromBase64Url(mac);
    const payloadBytes = fromBase64Url(payload);
    if (!macBytes || !payloadBytes) return [];
    // subtle.verify compares in constant time; a hand-rolled === would not.
    const intact = await crypto.subtle.verify("HMAC", await key, macBytes, signedBytes(`${version}.${payload}`));
    if (!intact) return [];
    let entries: unknown;
    try {
      entries = JSON.parse(new TextDecoder().decode(payloadBytes));
    } catch {
      return [];
    }
    if (!Array.isArray(entries)) return [];
    const t = now();
    return entries.filter(isEntry).filter(([, at]) => t - at <= maxAge);
  }

  return {
    entries: read,

    async issue(previous, userId, carried = []) {
      if (userId.length === 0 || userId.length > MAX_ID_LENGTH) throw new Error("device cookie: bad user id");
      const seen = new Set<string>([userId]);
      const kept: Entry[] = [];
      for (const entry of [...(await read(previous)), ...carried]) {
        if (seen.has(entry[0])) continue;
        seen.add(entry[0]);
        kept.push(entry);
      }
      const fresh: Entry = [userId, now()];
      const entries = [fresh, ...kept].slice(0, maxAccounts);
      const body = `${VERSION}.${toBase64Url(encoder.encode(JSON.stringify(entries)))}`;
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await key, signedBytes(body)));
      return `${body}.${toBase64Url(mac)}`;
    },

    async knows(value, userId) {
      return (await read(value)).some(([id]) => id === userId);
    },
  };
}
