// A small seedable generator for the seeder: the same --seed gives the same accounts, names and
// history (relative to the time of the run). Not for secrets: those come from node:crypto.
import { createHash } from "node:crypto";

export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A version-4 UUID drawn from this generator. */
  uuid(): string;
};

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

// sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes
// PractRand, and only 32-bit integer operations, which V8 runs fast.
export function createRng(seed: string): Rng {
  const words = createHash("sha256").update(seed).digest();
  let a = words.readUInt32LE(0);
  let b = words.readUInt32LE(4);
  let c = words.readUInt32LE(8);
  let d = words.readUInt32LE(12);
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  const next = () => u32() / 4294967296;
  const int = (n: number) => Math.floor(next() * n);
  const byte = (w: number, shift: number) => HEX[(w >>> shift) & 0xff];
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    uuid() {
      const w0 = u32();
      const w1 = u32();
      const w2 = u32();
      const w3 = u32();
      const version = HEX[0x40 | ((w1 >>> 8) & 0x0f)];
      const variant = HEX[0x80 | ((w2 >>> 24) & 0x3f)];
      return (
        `${byte(w0, 24)}${byte(w0, 16)}${byte(w0, 8)}${byte(w0, 0)}-${byte(w1, 24)}${byte(w1, 16)}-` +
        `${version}${byte(w1, 0)}-${variant}${byte(w2, 16)}-${byte(w2, 8)}${byte(w2, 0)}` +
        `${byte(w3, 24)}${byte(w3, 16)}${byte(w3, 8)}${byte(w3, 0)}`
      );
    },
  };
}
