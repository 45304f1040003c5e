import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { PinStore, type PinKey, type PinsFileRecovery } from '../../../../../main/core/guard/pinning/pin-store.js';
import type { StoredPin } from '../../../../../main/core/guard/pinning/pins-file.js';
import type { Clock } from '../../../../../main/core/ports/clock.js';
import type { LogLevel } from '../../../../../main/core/ports/logger.js';
import { modeOf, posixModes, tempDir } from '../../clients/temp-dirs.js';

function fakeClock(start = Date.parse('2026-03-01T10:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, setTimeout: () => ({ cancel() {} }), advance: (ms) => void (now += ms) };
}

const key = (toolName: string, serverId = 'calc'): PinKey => ({ serverId, serverUrl: 'https://calc.example.com/mcp', toolName });
const pin = (hashChar: string, approvedBy: StoredPin['approvedBy'] = 'first-seen'): StoredPin => ({
  hash: hashChar.repeat(64),
  definition: { name: 'add', description: `v${hashChar}` },
  pinnedAt: '2026-03-01T10:00:00.000Z',
  approvedBy,
});

async function storeInTemp(options: { onRecovery?: (r: PinsFileRecovery) => void; levels?: LogLevel[] } = {}) {
  const dataDir = path.join(await tempDir('gatehouse-pins-'), 'data');
  const clock = fakeClock();
  const logger = { log: (level: LogLevel) => void options.levels?.push(level) };
  const make = () => new PinStore({ dataDir, clock, logger, ...(options.onRecovery ? { onRecovery: options.onRecovery } : {}) });
  return { dataDir, clock, make, store: make(), file: path.join(dataDir, 'pins.json') };
}

describe('PinStore', () => {
  test('keeps pins in pins.json, readable by the user only, inside a user-only data dir', async () => {
    const { store, file, dataDir } = await storeInTemp();
    await store.update((table) => table.set(key('add'), { pin: pin('a') }));
    const saved = JSON.parse(await readFile(file, 'utf8'));
    assert.equal(saved.version, 1);
    assert.deepEqual(saved.tools, [{ server: 'calc', url: 'https://calc.example.com/mcp', tool: 'add', pin: pin('a') }]);
    if (posixModes) {
      assert.equal(await modeOf(file), 0o600);
      assert.equal(await modeOf(dataDir), 0o700);
    }
  });

  test('pins survive a restart: a new store over the same data dir sees them', async () => {
    const { store, make } = await storeInTemp();
    await store.update((table) => table.set(key('add'), { pin: pin('a') }));
    assert.deepEqual(make().get(key('add'))?.pin, pin('a'));
  });

  test('the key is server id, server URL and tool name', async () => {
    const { store } = await storeInTemp();
    await store.update((table) => table.set(key('add'), { pin: pin('a') }));
    assert.equal(store.get({ ...key('add'), serverUrl: 'https://other.example.com/mcp' }), undefined);
    assert.equal(store.get(key('add', 'other')), undefined);
    assert.equal(store.get(key('sub')), undefined);
  });

  test('does not touch the file when an update changes nothing', async () => {
    const { store, file } = await storeInTemp();
    await store.update(() => undefined);
    await assert.rejects(stat(file), { code: 'ENOENT' });
    await store.update((table) => table.set(key('add'), { pin: pin('a') }));
    const before = (await stat(file, { bigint: true })).ino;
    await store.update((table) => table.get(key('add')));
    assert.equal((await stat(file, { bigint: true })).ino, before);
  });

  test('removes an entry that has neither pin nor pending definition', async () => {
    const { store, make } = await storeInTemp();
    await store.update((table) => table.set(key('add'), { pin: pin('a') }));
    await store.update((table) => table.set(key('add'), {}));
    assert.equal(make().get(key('add')), undefined);
  });

  test('concurrent updates from two processes lose no pin', async () => {
    const { make } = await storeInTemp();
    const broker = make();
    const cli = make();
    const names = Array.from({ length: 24 }, (_, i) => `tool${i}`);
    await Promise.all(names.map((name, i) => (i % 2 === 0 ? broker : cli).update((table) => table.set(key(name), { pin: pin('b') }))));
    const fresh = make();
    assert.deepEqual(fresh.entries().map((e) => e.tool).sort(), [...names].sort());
  });

  test('sees a change made by another process after the recheck interval, or at once on refresh()', async () => {
    const { make, clock } = await storeInTemp();
    const broker = make();
    const cli = make();
    await broker.update((table) => table.set(key('add'), { pin: pin('a') }));
    assert.equal(broker.get(key('add'))?.pin?.approvedBy, 'first-seen');
    await cli.update((table) => table.set(key('add'), { pin: pin('c', 'user') }));
    clock.advance(300);
    assert.equal(broker.get(key('add'))?.pin?.approvedBy, 'user');
    await cli.update((table) => table.set(key('add'), { pin: pin('d', 'admin') }));
    broker.refresh();
    assert.equal(broker.get(key('add'))?.pin?.approvedBy, 'admin');
  });
});

describe('PinStore with a corrupt pins file', () => {
  test('reports the problem, keeps the last good copy, and on the next save moves the bad file aside and says so', async () => {
    const recoveries: PinsFileRecovery[] = [];
    const levels: LogLevel[] = [];
    const { store, file, dataDir } = await storeInTemp({ onRecovery: (r) => recoveries.push(r), levels });
    await store.update((table) => table.set(key('add'), { pin: pin('a') }));
    await writeFile(file, '{"version": 1, "tools": [', 'utf8');
    store.refresh();
    assert.match(store.problem() ?? '', /pins\.json cannot be used: it is not valid JSON/);
    assert.ok(levels.includes('error'));
    assert.equal(store.get(key('add'))?.pin?.hash, pin('a').hash, 'the last good copy still answers');

    await store.update((table) => table.set(key('sub'), { pin: pin('b') }));
    assert.equal(recoveries.length, 1);
    const [recovery] = recoveries;
    assert.match(path.basename(recovery!.movedTo), /^pins\.json\.corrupt-2026-03-01T10-00-00-000Z-[0-9a-f]{6}$/);
    assert.equal(await readFile(recovery!.movedTo, 'utf8'), '{"version": 1, "tools": [', 'the bad file is kept as it was');
    assert.equal(recovery!.kept, 1);
    assert.equal(store.problem(), undefined);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    assert.deepEqual(saved.tools.map((t: { tool: string }) => t.tool), ['add', 'sub'], 'the last good pins are carried over');
    assert.equal((await readdir(dataDir)).filter((f) => f.startsWith('pins.json.corrupt-')).length, 1);
  });

  test('keeps each entry that is valid on its own and counts the ones it drops', async () => {
    const recoveries: PinsFileRecovery[] = [];
    const { make, file } = await storeInTemp({ onRecovery: (r) => recoveries.push(r) });
    const good = { server: 'calc', url: 'https://calc.example.com/mcp', tool: 'add', pin: pin('a', 'user') };
    await make().update(() => undefined); // creates the data dir
    await writeFile(file, JSON.stringify({ version: 1, tools: [good, { server: 'calc', tool: 'broken' }, { ...good, tool: 'sub', pin: { ...pin('b'), hash: 'nope' } }] }));
    // A broker starting over this file uses what is still readable until it next saves.
    const store = make();
    assert.equal(store.get(key('add'))?.pin?.approvedBy, 'user');
    assert.match(store.problem() ?? '', /is invalid/);
    await store.update((table) => table.set(key('mul'), { pin: pin('c') }));
    assert.equal(recoveries[0]?.dropped, 2);
    assert.deepEqual(make().entries().map((e) => e.tool).sort(), ['add', 'mul']);
  });

  test('rejects duplicate entries and entries with neither pin nor pending as invalid', async () => {
    const { make, file } = await storeInTemp();
    await make().update(() => undefined);
    const good = { server: 'calc', url: 'https://calc.example.com/mcp', tool: 'add', pin: pin('a') };
    await writeFile(file, JSON.stringify({ version: 1, tools: [good, good] }));
    const store = make();
    assert.match(store.problem() ?? '', /duplicate of tools\[0\]/);
    await writeFile(file, JSON.stringify({ version: 1, tools: [{ server: 'calc', url: 'u', tool: 'x' }] }));
    store.refresh();
    assert.match(store.problem() ?? '', /needs a pin or a pending definition/);
  });

  test('what a recovery kept is saved even when the change that triggered it fails', async () => {
    const { store, make, file } = await storeInTemp();
    await store.update((table) => table.set(key('add'), { pin: pin('a') }));
    await writeFile(file, '{');
    await assert.rejects(
      store.update(() => {
        throw new Error('nothing to approve');
      }),
      /nothing to approve/,
    );
    assert.equal(make().get(key('add'))?.pin?.hash, pin('a').hash);
  });

  test('a tool name such as __proto__ is stored like any other', async () => {
    const { store, make } = await storeInTemp();
    await store.update((table) => table.set(key('__proto__'), { pin: pin('a') }));
    assert.equal(make().get(key('__proto__'))?.pin?.hash, pin('a').hash);
  });
});
