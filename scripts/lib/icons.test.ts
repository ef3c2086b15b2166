import { readFileSync } from "node:fs";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeIco, encodePng, iconFiles, renderIcon } from "./icons";

function decodePng(png: Buffer): { size: number; rgba: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const size = png.readUInt32BE(16);
  expect(png.readUInt32BE(20)).toBe(size);
  const idatLength = png.readUInt32BE(33);
  const rows = inflateSync(png.subarray(41, 41 + idatLength));
  expect(rows.length).toBe(size * (size * 4 + 1));
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) rows.copy(rgba, y * size * 4, y * (size * 4 + 1) + 1, (y + 1) * (size * 4 + 1));
  return { size, rgba };
}

const pixel = (rgba: Buffer, size: number, x: number, y: number) => [...rgba.subarray((y * size + x) * 4, (y * size + x) * 4 + 4)];

describe("icons", () => {
  it("draws the key in white on an opaque dark tile for the apple icon", () => {
    const { size, rgba } = decodePng(encodePng(180, renderIcon({ size: 180, radius: 0 })));
    expect(size).toBe(180);
    expect(pixel(rgba, size, 0, 0)).toEqual([0x18, 0x18, 0x1b, 255]);
    // On the ring of the key's bow: (7.5 - 4.5, 15.5) in the 24-unit box, scaled into the tile.
    const x = Math.round((0.15 + (3 / 24) * 0.7) * 180);
    const y = Math.round((0.15 + (15.5 / 24) * 0.7) * 180);
    expect(pixel(rgba, size, x, y)).toEqual([255, 255, 255, 255]);
  });

  it("leaves the corners of a rounded tile transparent", () => {
    const rgba = Buffer.from(renderIcon({ size: 32, radius: 0.22 }));
    expect(pixel(rgba, 32, 0, 0)[3]).toBe(0);
    expect(pixel(rgba, 32, 16, 1)[3]).toBe(255);
  });

  it("packs PNG entries into an ICO directory", () => {
    const pngs = [16, 32].map((size) => ({ size, png: encodePng(size, renderIcon({ size, radius: 0.22 })) }));
    const ico = encodeIco(pngs);
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 2]);
    const second = 6 + 16;
    expect(ico.readUInt8(second)).toBe(32);
    const offset = ico.readUInt32LE(second + 12);
    expect(ico.subarray(offset, offset + ico.readUInt32LE(second + 8))).toEqual(pngs[1]?.png);
  });

  it("matches the committed files (run scripts/make-icons.ts after changing the drawing)", () => {
    for (const [name, content] of Object.entries(iconFiles())) {
      const committed = readFileSync(path.resolve(import.meta.dirname, "..", "..", "app", name));
      expect(committed.equals(Buffer.from(content)), name).toBe(true);
    }
  });
});
