// Draws the Gatehouse application icon (a crenellated wall whose arched gateway has a half-raised portcullis, on a rounded square) and
// writes it as PNG to resources/icons/<size>x<size>.png, the names electron-builder expects for a
// Linux icon set; macOS and Windows convert the 1024 px one. The output is committed; run this only
// after changing the drawing: `npx tsx scripts/make-icons.ts`.
//
// Flat colours and 4×4 supersampled edges keep each file small. The tray icons are drawn by
// scripts/make-tray-icons.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from './png.js';

type Rgb = readonly [number, number, number];

const BACKGROUND: Rgb = [0x1b, 0x3a, 0x5c];
const FOREGROUND: Rgb = [0xf3, 0xef, 0xe4];
const SIZES = [512, 1024] as const;
const SAMPLES = 4;
const MERLONS = [0.22, 0.3733, 0.5267, 0.7] as const;

/** Which colour covers the point (x, y) of the unit square, or undefined for transparent. */
function colourAt(x: number, y: number): Rgb | undefined {
  // The body follows Apple's icon grid: 824/1024 of the canvas, corners of radius 185/1024.
  if (!inRoundedSquare(x, y, 0.5, 0.5, 412 / 1024, 185 / 1024)) return undefined;
  // A crenellated wall with an arched gateway; the portcullis is half raised.
  const wall = x >= 0.22 && x <= 0.78 && y >= 0.37 && y <= 0.78;
  const merlon = y >= 0.29 && y < 0.37 && MERLONS.some((left) => x >= left && x <= left + 0.08);
  const opening = inArch(x, y, 0.5, 0.54, 0.14, 0.78);
  const portcullis = opening && y <= 0.68 && (nearAny(x, [0.43, 0.5, 0.57], 0.013) || nearAny(y, [0.5, 0.6], 0.013));
  if (opening) return portcullis ? FOREGROUND : BACKGROUND;
  return wall || merlon ? FOREGROUND : BACKGROUND;
}

function inRoundedSquare(x: number, y: number, cx: number, cy: number, half: number, radius: number): boolean {
  const dx = Math.max(Math.abs(x - cx) - (half - radius), 0);
  const dy = Math.max(Math.abs(y - cy) - (half - radius), 0);
  return dx * dx + dy * dy <= radius * radius;
}

/** A doorway: a half disc of `radius` centred at (cx, springY) on top of a rectangle down to `bottom`. */
function inArch(x: number, y: number, cx: number, springY: number, radius: number, bottom: number): boolean {
  if (Math.abs(x - cx) > radius || y > bottom) return false;
  return y >= springY || (x - cx) ** 2 + (y - springY) ** 2 <= radius * radius;
}

function nearAny(value: number, centres: readonly number[], halfWidth: number): boolean {
  return centres.some((centre) => Math.abs(value - centre) <= halfWidth);
}

function render(size: number): Buffer {
  // One filter byte (0, none) before each row of RGBA pixels.
  const stride = size * 4 + 1;
  const raw = Buffer.alloc(stride * size);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, covered = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const colour = colourAt((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size);
          if (colour === undefined) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const offset = py * stride + 1 + px * 4;
      if (covered === 0) continue;
      // Straight (not premultiplied) alpha, as PNG requires.
      raw[offset] = Math.round(r / covered);
      raw[offset + 1] = Math.round(g / covered);
      raw[offset + 2] = Math.round(b / covered);
      raw[offset + 3] = Math.round((covered / SAMPLES ** 2) * 255);
    }
  }
  return encodePng(size, size, raw);
}

const outDir = join(import.meta.dirname, '..', 'resources', 'icons');
mkdirSync(outDir, { recursive: true });
for (const size of SIZES) {
  const file = join(outDir, `${size}x${size}.png`);
  writeFileSync(file, render(size));
  process.stdout.write(`wrote ${file}\n`);
}
