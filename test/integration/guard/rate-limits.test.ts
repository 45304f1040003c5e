import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError } from '@modelcontextprotocol/client';
import { startTwin, type TwinServer } from '../../fixtures/servers/twin.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { startBroker, type Harness } from '../helpers/broker-harness.js';

describe('rate limits through the broker', () => {
  let a: TwinServer;
  let h: Harness;

  before(async () => {
    a = await startTwin('A');
    // Time stands still here, so the wait the refusal names is exact.
    h = await startBroker([{ id: 'alpha', url: a.url }], { rateLimits: { tools: [{ server: 'alpha', tool: 'search', perMinute: 2 }] } }, { clock: new ManualClock() });
  });
  after(async () => {
    await h?.stop();
    await a?.close();
  });

  test('refuses a call over the limit with GATEHOUSE_RATE_LIMITED and when to retry; other tools are not affected', async () => {
    const client = await h.connect();
    const search = () => client.callTool({ name: 'alpha__search', arguments: { query: 'x' } });
    await search();
    await search();
    const refusal = await search().then(
      () => assert.fail('the third call within a minute must be refused'),
      (error: unknown) => error,
    );
    assert.ok(refusal instanceof ProtocolError);
    assert.match(refusal.message, /GATEHOUSE_RATE_LIMITED: Rate limit reached: 'search' of server 'alpha' may be called 2 times a minute; try again in 30 s/);
    assert.deepEqual(refusal.data, { gatehouse: { code: 'GATEHOUSE_RATE_LIMITED', retryAfterSeconds: 30 } });
    const other = await client.callTool({ name: 'alpha__get_item', arguments: { id: '1' } });
    assert.equal(other.isError, undefined);
  });
});
