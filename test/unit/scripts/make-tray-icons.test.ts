import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { TRAY_STATES, trayIconName } from '../../../main/electron/tray-view.js';
import { renderTrayIcons, TRAY_ICON_DIR, TRAY_ICON_STATES } from '../../../scripts/make-tray-icons.js';

const pngSize = (bytes: Buffer) => ({ width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) });

test('the committed tray icons are exactly what the script draws (run it after changing the drawing)', () => {
  const drawn = renderTrayIcons();
  assert.deepEqual(readdirSync(TRAY_ICON_DIR).sort(), [...drawn.keys()].sort());
  for (const [name, png] of drawn) assert.ok(readFileSync(join(TRAY_ICON_DIR, name)).equals(png), `${name} differs: run npx tsx scripts/make-tray-icons.ts`);
});

test('every tray state has its icon on every platform, at 16 px and 32 px (@2x)', () => {
  assert.deepEqual([...TRAY_ICON_STATES], [...TRAY_STATES]);
  for (const state of TRAY_STATES) {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const name = trayIconName(state, platform);
      assert.deepEqual(pngSize(readFileSync(join(TRAY_ICON_DIR, name))), { width: 16, height: 16 }, name);
      assert.deepEqual(pngSize(readFileSync(join(TRAY_ICON_DIR, name.replace(/\.png$/, '@2x.png')))), { width: 32, height: 32 }, name);
    }
  }
});

test('macOS template images are black and alpha only, so the menu bar can tint them; the coloured ones are not', () => {
  for (const [name, png] of renderTrayIcons()) {
    const colours = new Set(pixels(png).filter(([, , , a]) => a > 0).map(([r, g, b]) => `${r},${g},${b}`));
    if (name.includes('Template')) assert.deepEqual([...colours], ['0,0,0'], name);
    else assert.ok(colours.size > 1, name);
  }
  const drawn = renderTrayIcons();
  assert.ok(!drawn.get('readyTemplate.png')!.equals(drawn.get('needs-attentionTemplate.png')!), 'the states differ in shape, not only colour');
});

/** The RGBA pixels of a PNG the script wrote (one IDAT, filter 0 on every row). */
function pixels(png: Buffer): Array<[number, number, number, number]> {
  const { width, height } = pngSize(png);
  let offset = 8;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    if (png.toString('latin1', offset + 4, offset + 8) === 'IDAT') data.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const out: Array<[number, number, number, number]> = [];
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    assert.equal(raw[row], 0);
    for (let x = 0; x < width; x++) {
      const p = row + 1 + x * 4;
      out.push([raw[p]!, raw[p + 1]!, raw[p + 2]!, raw[p + 3]!]);
    }
  }
  return out;
}
