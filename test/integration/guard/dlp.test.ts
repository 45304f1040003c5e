// DLP through a real broker: a secret in the arguments blocks the call, a redaction reaches the
// server redacted, and an `ask` is answered by the user (allow and deny), who sees the match masked.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError } from '@modelcontextprotocol/client';
import type { ApprovalAnswer, ApprovalRequest, Prompter } from '../../../main/core/ports/prompter.js';
import { startTwin, type TwinServer } from '../../fixtures/servers/twin.js';
import { startBroker, type Harness } from '../helpers/broker-harness.js';

// Made-up values of the right shape: an AWS key id, a card number that passes Luhn (not a test card), an SSN.
const AWS_KEY = 'AKIA4HKQ3ZP7WUTX2ML5';
const CARD = '4539 1488 0343 6467';
const SSN = '536-22-8726';

class Answering implements Prompter {
  readonly asked: ApprovalRequest[] = [];
  answer: ApprovalAnswer = 'allow-once';
  approve(request: ApprovalRequest): Promise<ApprovalAnswer> {
    this.asked.push(request);
    return Promise.resolve(this.answer);
  }
}

describe('DLP through the broker', () => {
  let a: TwinServer;
  let h: Harness;
  const prompter = new Answering();

  before(async () => {
    a = await startTwin('A');
    h = await startBroker(
      [{ id: 'alpha', url: a.url }],
      { dlp: { detectors: { 'payment-card': { action: 'redact' }, 'us-ssn': { action: 'ask' } } } },
      { prompter },
    );
  });
  afterEach(() => {
    prompter.asked.length = 0;
    prompter.answer = 'allow-once';
  });
  after(async () => {
    await h?.stop();
    await a?.close();
  });

  test('a cloud key in the arguments blocks the call with GATEHOUSE_DLP_BLOCKED, naming what matched but not the value', async () => {
    const client = await h.connect();
    await client.listTools();
    const requestsBefore = a.requestsSeen.length;
    const refusal = await client.callTool({ name: 'alpha__search', arguments: { query: `deploy with ${AWS_KEY}` } }).then(
      () => assert.fail('the call must be blocked'),
      (error: unknown) => error,
    );
    assert.ok(refusal instanceof ProtocolError);
    assert.match(refusal.message, /GATEHOUSE_DLP_BLOCKED/);
    assert.match(refusal.message, /AWS/);
    assert.ok(!refusal.message.includes(AWS_KEY) && !JSON.stringify(refusal.data).includes(AWS_KEY), 'the secret is not repeated to the agent');
    assert.equal(a.requestsSeen.length, requestsBefore, 'nothing reached the server');
  });

  test('a redacted card number reaches the server redacted, and the call goes through', async () => {
    const client = await h.connect();
    const result = await client.callTool({ name: 'alpha__search', arguments: { query: `refund ${CARD} today` } });
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    assert.ok(!text.includes(CARD), text);
    assert.match(text, /REDACTED/);
  });

  test('an ask shows the match masked; allowed, the call is made; denied, it is not', async () => {
    const client = await h.connect();
    const allowed = await client.callTool({ name: 'alpha__search', arguments: { query: `employee ${SSN}` } });
    assert.equal(allowed.isError, undefined);
    assert.equal(prompter.asked.length, 1);
    const shown = JSON.stringify(prompter.asked[0]);
    assert.ok(!shown.includes(SSN), `the prompt shows the match masked: ${shown}`);
    assert.match(prompter.asked[0]?.reasons.join(' ') ?? '', /SSN|Social Security/i);

    prompter.answer = 'deny';
    await assert.rejects(client.callTool({ name: 'alpha__search', arguments: { query: `employee ${SSN}` } }), /GATEHOUSE_APPROVAL_DENIED/);
  });
});
