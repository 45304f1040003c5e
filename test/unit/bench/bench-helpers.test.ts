// The bench's own arithmetic and parsing: a wrong percentile or a misread SSE body would make
// every figure it prints wrong while still looking plausible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConnectOutput } from '../../bench/children.js';
import { findResponse, toolResultText } from '../../bench/jsonrpc-body.js';
import { percentile, summarize } from '../../bench/stats.js';

test('percentile interpolates between closest ranks', () => {
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.equal(percentile(sorted, 50), 5.5);
  assert.equal(percentile(sorted, 0), 1);
  assert.equal(percentile(sorted, 100), 10);
  assert.ok(Math.abs(percentile(sorted, 99) - 9.91) < 1e-9);
  assert.throws(() => percentile([], 50), RangeError);
});

test('summarize sorts its samples before taking percentiles', () => {
  const s = summarize([10, 1, 5]);
  assert.deepEqual([s.min, s.p50, s.max, s.count], [1, 5, 10, 3]);
});

test('findResponse picks the matching id from an SSE body with a priming event and a notification', () => {
  const body = [
    'id: prime-1',
    'data: ',
    '',
    'event: message',
    'data: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}',
    '',
    'event: message',
    'data: {"jsonrpc":"2.0","id":6,"result":{"content":[{"type":"text","text":"other"}]}}',
    '',
    'event: message',
    'data: {"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"hi"}]}}',
    '',
  ].join('\n');
  const response = findResponse(body, 'text/event-stream', 7);
  assert.equal(toolResultText(response.result), 'hi');
});

test('findResponse reads application/json bodies and JSON-RPC errors', () => {
  const response = findResponse('{"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"bad"}}', 'application/json; charset=utf-8', 3);
  assert.deepEqual(response.error, { code: -32602, message: 'bad' });
  assert.throws(() => findResponse('{"jsonrpc":"2.0","id":4,"result":{}}', 'application/json', 3), /no response with id 3/);
});

test('toolResultText rejects a tool error instead of treating it as an echo', () => {
  assert.throws(() => toolResultText({ isError: true, content: [{ type: 'text', text: 'denied' }] }), /isError/);
});

test('parseConnectOutput finds the registration JSON even after log lines', () => {
  const stdout = 'registered client bench\n{"url":"http://127.0.0.1:0/mcp","headers":{"Authorization":"Bearer abc"}}\n';
  assert.deepEqual(parseConnectOutput(stdout).headers, { Authorization: 'Bearer abc' });
  assert.throws(() => parseConnectOutput('nothing here\n'), /no \{"url","headers"\} JSON object/);
});
