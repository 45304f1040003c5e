import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNotification, isRequest, isResponse, toMessage } from '../../../../main/core/mcp/jsonrpc.js';

const accepted = (value: unknown) => {
  const parsed = toMessage(value);
  assert.ok(parsed.ok, `expected ${JSON.stringify(value)} to be accepted: ${parsed.ok ? '' : parsed.reason}`);
  return parsed.message;
};
const refused = (value: unknown): string => {
  const parsed = toMessage(value);
  assert.ok(!parsed.ok, `expected ${JSON.stringify(value)} to be refused`);
  return parsed.reason;
};

describe('JSON-RPC envelope validation', () => {
  it('accepts requests, notifications, results and errors, and tells them apart', () => {
    assert.ok(isRequest(accepted({ jsonrpc: '2.0', id: 1, method: 'tools/list' })));
    assert.ok(isRequest(accepted({ jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'x' } })));
    assert.ok(isNotification(accepted({ jsonrpc: '2.0', method: 'notifications/initialized' })));
    assert.ok(isResponse(accepted({ jsonrpc: '2.0', id: 1, result: {} })));
    assert.ok(isResponse(accepted({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })));
  });

  it('returns the very object it was given, so large arguments are not copied', () => {
    const message = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { arguments: { text: 'x'.repeat(1000) } } };
    assert.equal(accepted(message), message);
  });

  it('refuses what is not an envelope, naming the member at fault', () => {
    assert.match(refused([]), /must be an object/);
    assert.match(refused(null), /must be an object/);
    assert.match(refused({ jsonrpc: '1.0', id: 1, method: 'x' }), /^jsonrpc/);
    assert.match(refused({ jsonrpc: '2.0', id: 1.5, method: 'x' }), /^id/);
    assert.match(refused({ jsonrpc: '2.0', id: {}, method: 'x' }), /^id/);
    assert.match(refused({ jsonrpc: '2.0', id: 'x'.repeat(513), method: 'x' }), /^id/);
    assert.match(refused({ jsonrpc: '2.0', id: 1, method: '' }), /^method/);
    assert.match(refused({ jsonrpc: '2.0', id: 1, method: 'm'.repeat(257) }), /^method/);
    assert.match(refused({ jsonrpc: '2.0', id: 1, method: 42 }), /^method/);
    assert.match(refused({ jsonrpc: '2.0', id: 1, method: 'x', params: [1] }), /^params/);
    assert.match(refused({ jsonrpc: '2.0', id: 1, result: 'text' }), /^result/);
    assert.match(refused({ jsonrpc: '2.0', id: 1 }), /^result/);
    assert.match(refused({ jsonrpc: '2.0', id: 1, error: { code: 1.5, message: 'x' } }), /^error\.code/);
    assert.match(refused({ jsonrpc: '2.0', id: 1, error: { code: 1 } }), /^error\.message/);
    assert.match(refused({ jsonrpc: '2.0', error: { code: 1, message: 'x' } }), /^id/);
  });
});
