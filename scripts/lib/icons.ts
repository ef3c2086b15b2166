// The app's icons from one drawing: the key of components/ui/brand.tsx on a dark tile. The SVG is
// written as text; the PNGs are rasterised here (signed distances, 4×4 supersampling) and
// encoded with node:zlib, so no image package is needed.
import { crc32, deflateSync } from "node:zlib";

/** The key's strokes in the 24-unit box of brand.tsx's KeyIcon. */
const CIRCLE = { cx: 7.5, cy: 15.5, r: 4.5 };
const SEGMENTS: [number, number, number, number][] = [
  [10.7, 12.3, 20.5, 2.5],
  [17, 6, 20, 9],
  [14.5, 8.5, 16.5, 10.5],
];
const STROKE = 2.25;
/** The key fills this share of the tile, centred. */
const KEY_SCALE = 0.7;
const TILE = [0x18, 0x18, 0x1b] as const; // zinc-900
const MARK = [0xff, 0xff, 0xff] as const;

export type IconShape = { size: number /** Corner radius as a share of the side; 0 for a full square. */; radius: number };

function distanceToSegment(px: number, py: number, [x1, y1, x2, y2]: [number, number, number, number]): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}

function onKey(x: number, y: number): boolean {
  const half = STROKE / 2;
  if (Math.abs(Math.hypot(x - CIRCLE.cx, y - CIRCLE.cy) - CIRCLE.r) <= half) return true;
  return SEGMENTS.some((segment) => distanceToSegment(x, y, segment) <= half);
}

function inTile(x: number, y: number, radius: number): boolean {
  // x, y and radius in units of the side (0..1).
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  return Math.hypot(x - cx, y - cy) <= radius;
}

/** RGBA pixels, row by row. */
export function renderIcon({ size, radius }: IconShape): Uint8Array {
  const n = 4;
  const pixels = new Uint8Array(size * size * 4);
  const offset = (1 - KEY_SCALE) / 2;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let alpha = 0;
      let mark = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          if (!inTile(x, y, radius)) continue;
          alpha++;
          if (onKey(((x - offset) / KEY_SCALE) * 24, ((y - offset) / KEY_SCALE) * 24)) mark++;
        }
      }
      const i = (py * size + px) * 4;
      const share = alpha ? mark / alpha : 0;
      for (let c = 0; c < 3; c++) pixels[i + c] = Math.round((TILE[c] ?? 0) * (1 - share) + (MARK[c] ?? 0) * share);
      pixels[i + 3] = Math.round((alpha / (n * n)) * 255);
    }
  }
  return pixels;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A truecolour-with-alpha PNG, unfiltered rows (the files are small; the build serves them as they are). */
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(rows, { level: 9 })), chunk("IEND", new Uint8Array())]);
}

/** An ICO holding PNG images (every browser since IE Vista-era reads PNG entries). */
export function encodeIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, index) => {
    const at = 6 + 16 * index;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

const round = (value: number) => Number(value.toFixed(4));
const hex = (rgb: readonly number[]) => `#${rgb.map((c) => c.toString(16).padStart(2, "0")).join("")}`;

/** The favicon as SVG; in a dark browser the tile turns light so it does not sink into the tab bar. */
export function iconSvg(): string {
  const side = 32;
  const scale = round((side * KEY_SCALE) / 24);
  const offset = round((side * (1 - KEY_SCALE)) / 2);
  const strokes = [
    `<circle cx="${CIRCLE.cx}" cy="${CIRCLE.cy}" r="${CIRCLE.r}"/>`,
    `<path d="${SEGMENTS.map(([x1, y1, x2, y2]) => `M${x1} ${y1}L${x2} ${y2}`).join("")}"/>`,
  ].join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}">`,
    "<title>Latchkey</title>",
    `<style>.t{fill:${hex(TILE)}}.k{stroke:${hex(MARK)}}@media (prefers-color-scheme:dark){.t{fill:#f4f4f5}.k{stroke:${hex(TILE)}}}</style>`,
    `<rect class="t" width="${side}" height="${side}" rx="7"/>`,
    `<g class="k" fill="none" stroke-width="${STROKE}" stroke-linecap="round" stroke-linejoin="round" transform="translate(${offset} ${offset}) scale(${scale})">${strokes}</g>`,
    "</svg>",
    "",
  ].join("\n");
}

/** Every file under app/ that Next turns into an icon link, by name. */
export function iconFiles(): Record<string, Buffer | string> {
  const png = (size: number, radius: number) => encodePng(size, renderIcon({ size, radius }));
  return {
    "icon.svg": iconSvg(),
    // Opaque and square: iOS rounds the corners itself.
    "apple-icon.png": png(180, 0),
    "favicon.ico": encodeIco([16, 32, 48].map((size) => ({ size, png: png(size, 0.22) }))),
  };
}
