import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEventInput } from '../../../../common/audit-event.js';
import type { AuditRecorder } from '../../../../main/core/audit/audit-recorder.js';
import { ServerHealth } from '../../../../main/core/status/server-health.js';
import { ManualClock } from '../../../helpers/manual-clock.js';

function recorder(): AuditRecorder & { events: AuditEventInput[] } {
  const events: AuditEventInput[] = [];
  return { events, keeps: { arguments: 'redacted', elicitationAnswers: false }, record: async (e) => void events.push(e), refusal: () => undefined };
}

test('an outage seen by several sessions is one state change and one audit event', () => {
  const audit = recorder();
  const health = new ServerHealth(new ManualClock(), audit);
  let changes = 0;
  health.onChange(() => changes++);
  health.update('alpha', 'ready');
  health.update('alpha', 'down', { error: new Error('connection refused') });
  health.update('alpha', 'down', { error: new Error('connection refused') });
  assert.deepEqual({ state: health.get('alpha').state, error: health.get('alpha').error }, { state: 'down', error: 'connection refused' });
  assert.equal(changes, 2);
  assert.deepEqual(audit.events.map((e) => [e.type, e.code]), [['error', 'GATEHOUSE_SERVER_UNAVAILABLE']]);
  health.update('alpha', 'ready');
  assert.equal(audit.events.length, 2, 'the recovery is recorded too');
});

test('a server waiting for the user to sign in is not an outage, and a new session connecting does not hide a ready server', () => {
  const audit = recorder();
  const health = new ServerHealth(new ManualClock(), audit);
  assert.equal(health.get('beta').state, 'unknown');
  health.update('beta', 'down', { waitsForAuth: true });
  assert.equal(health.get('beta').state, 'waiting-for-sign-in');
  health.update('beta', 'ready');
  health.update('beta', 'connecting');
  health.update('beta', 'closed');
  assert.equal(health.get('beta').state, 'ready');
  assert.equal(audit.events.length, 0);
});
