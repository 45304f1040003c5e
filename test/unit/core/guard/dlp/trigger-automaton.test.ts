import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newTriggerHits, parseTrigger, TriggerAutomaton } from '../../../../../main/core/guard/dlp/trigger-automaton.js';

function hits(automaton: TriggerAutomaton, text: string): [number, number][] {
  const buffer = newTriggerHits(1);
  const count = automaton.run(text, buffer);
  const out: [number, number][] = [];
  for (let i = 0; i < count; i++) for (const t of automaton.outputsOf(buffer.states[i]!)) out.push([t, buffer.ends[i]!]);
  return out;
}

test('finds every trigger in one pass, overlapping ones included, and grows its buffer', () => {
  const a = new TriggerAutomaton([{ source: 'ghp_' }, { source: 'hp_x' }, { source: '@' }]);
  assert.deepEqual(hits(a, 'a ghp_x @ @'), [[0, 6], [1, 7], [2, 9], [2, 11]]);
});

test('classes, repetition, case-insensitive words, and boundaries at the start of the string', () => {
  const a = new TriggerAutomaton([{ source: '[^0-9]\\d{3}-\\d' }, { source: 'token', ignoreCase: true }, { source: '[13][A-Z]?x' }]);
  assert.deepEqual(hits(a, '123-4'), [[0, 5]]);
  assert.deepEqual(hits(a, '9123-4'), []);
  assert.deepEqual(hits(a, 'a TOKEN b ToKeN'), [[1, 7], [1, 15]]);
  assert.deepEqual(hits(a, '1x 3Qx'), [[2, 2], [2, 6]]);
});

test('treats characters beyond ASCII as boundaries, and refuses triggers it cannot compile', () => {
  const a = new TriggerAutomaton([{ source: '[^0-9]\\d\\d' }]);
  assert.deepEqual(hits(a, 'é12'), [[0, 3]]);
  assert.throws(() => parseTrigger('ä', false), /ASCII/);
  assert.throws(() => parseTrigger('a?', false), /empty string/);
  assert.throws(() => parseTrigger('\\q', false), /not supported/);
});
