// Draws the tray icons, one per state (signed out, ready, needs attention, paused), at 16 and 32 px
// (`<name>.png` and `<name>@2x.png`, which Electron's nativeImage picks by screen density), into
// resources/tray/. Two sets: macOS template images (`<state>Template.png`: black and alpha only, which
// the menu bar tints for light and dark), and coloured icons on the app icon's rounded square for
// Windows and Linux, whose panels may be dark or light. The output is committed;
// test/unit/scripts/make-tray-icons.test.ts fails when it differs from what this script draws.
// Run after changing the drawing: `npx tsx scripts/make-tray-icons.ts`.
//
// States differ by shape as well as colour, since template images have no colour: signed out is the
// gate dimmed, needs attention adds a dot at the top right, paused adds pause bars at the bottom right.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodePng } from './png.js';

export const TRAY_ICON_STATES = ['signed-out', 'ready', 'needs-attention', 'paused'] as const;
type State = (typeof TRAY_ICON_STATES)[number];
type Variant = 'template' | 'colour';
/** Straight (not premultiplied) colour and an alpha in 0..1. */
type Rgba = readonly [number, number, number, number];

export const TRAY_ICON_DIR = join(import.meta.dirname, '..', 'resources', 'tray');
const SIZES = [16, 32] as const;
const SAMPLES = 8;

const BLACK: Rgba = [0, 0, 0, 1];
const NAVY: Rgba = [0x1b, 0x3a, 0x5c, 1];
const CREAM: Rgba = [0xf3, 0xef, 0xe4, 1];
const SLATE: Rgba = [0x6b, 0x72, 0x80, 1];
const MIST: Rgba = [0xd6, 0xd9, 0xde, 1];
const AMBER: Rgba = [0xf5, 0x9e, 0x0b, 1];
const PAPER: Rgba = [0xf1, 0xf3, 0xf5, 1];
const INK: Rgba = [0x1f, 0x29, 0x37, 1];

const ATTENTION_DOT = { cx: 0.8, cy: 0.2, r: 0.19 };
const PAUSE_BADGE = { cx: 0.77, cy: 0.77, r: 0.23 };
/** Transparent space around a badge, so it reads apart from the gate. */
const BADGE_GAP = 0.07;

/** The gate: a crenellated wall with an arched opening, in a square of side `scale` at (ox, oy). */
function inGate(x: number, y: number, ox: number, oy: number, scale: number): boolean {
  const u = (x - ox) / scale;
  const v = (y - oy) / scale;
  const wall = u >= 0.08 && u <= 0.92 && v >= 0.3 && v <= 0.94;
  const merlon = v >= 0.1 && v < 0.3 && [0.08, 0.4, 0.72].some((left) => u >= left && u <= left + 0.2);
  const opening = Math.abs(u - 0.5) <= 0.17 && v <= 0.94 && (v >= 0.6 || (u - 0.5) ** 2 + (v - 0.6) ** 2 <= 0.17 ** 2);
  return (wall || merlon) && !opening;
}

function inCircle(x: number, y: number, c: { cx: number; cy: number; r: number }, grow = 0): boolean {
  return (x - c.cx) ** 2 + (y - c.cy) ** 2 <= (c.r + grow) ** 2;
}

function inRoundedSquare(x: number, y: number, radius: number): boolean {
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - radius), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - radius), 0);
  return dx * dx + dy * dy <= radius * radius;
}

function inPauseBars(x: number, y: number): boolean {
  const { cx, cy } = PAUSE_BADGE;
  return Math.abs(y - cy) <= 0.12 && (Math.abs(x - (cx - 0.065)) <= 0.038 || Math.abs(x - (cx + 0.065)) <= 0.038);
}

/** The colour at (x, y) of the unit square, or undefined for transparent. */
function colourAt(x: number, y: number, state: State, variant: Variant): Rgba | undefined {
  const badge = state === 'needs-attention' ? ATTENTION_DOT : state === 'paused' ? PAUSE_BADGE : undefined;
  if (badge && inCircle(x, y, badge)) {
    if (state === 'needs-attention') return variant === 'template' ? BLACK : AMBER;
    // Paused: bars cut out of a disc (template), or dark bars on a light disc.
    if (variant === 'template') return inPauseBars(x, y) ? undefined : BLACK;
    return inPauseBars(x, y) ? INK : PAPER;
  }
  if (badge && inCircle(x, y, badge, BADGE_GAP)) return undefined;
  if (variant === 'template') {
    if (!inGate(x, y, 0, 0, 1)) return undefined;
    return state === 'signed-out' ? [0, 0, 0, 0.45] : BLACK;
  }
  if (!inRoundedSquare(x, y, 0.2)) return undefined;
  const signedOut = state === 'signed-out';
  // The gate a little inset on its square, as in the app icon.
  return inGate(x, y, 0.12, 0.1, 0.76) ? (signedOut ? MIST : CREAM) : signedOut ? SLATE : NAVY;
}

function render(size: number, state: State, variant: Variant): Buffer {
  const stride = size * 4 + 1;
  const raw = Buffer.alloc(stride * size);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const colour = colourAt((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size, state, variant);
          if (colour === undefined) continue;
          r += colour[0] * colour[3];
          g += colour[1] * colour[3];
          b += colour[2] * colour[3];
          a += colour[3];
        }
      }
      if (a === 0) continue;
      const offset = py * stride + 1 + px * 4;
      raw[offset] = Math.round(r / a);
      raw[offset + 1] = Math.round(g / a);
      raw[offset + 2] = Math.round(b / a);
      raw[offset + 3] = Math.round((a / SAMPLES ** 2) * 255);
    }
  }
  return encodePng(size, size, raw);
}

/** Every tray icon by file name: `<state>[Template][@2x].png`. */
export function renderTrayIcons(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const state of TRAY_ICON_STATES) {
    for (const variant of ['template', 'colour'] as const) {
      for (const size of SIZES) {
        files.set(`${state}${variant === 'template' ? 'Template' : ''}${size === 32 ? '@2x' : ''}.png`, render(size, state, variant));
      }
    }
  }
  return files;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(TRAY_ICON_DIR, { recursive: true });
  for (const [name, png] of renderTrayIcons()) {
    writeFileSync(join(TRAY_ICON_DIR, name), png);
    process.stdout.write(`wrote ${join(TRAY_ICON_DIR, name)}\n`);
  }
}
