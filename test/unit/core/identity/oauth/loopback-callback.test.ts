import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { AuthorizationResponseError, CallbackTimeoutError, LoopbackCallback } from '../../../../../main/core/identity/oauth/loopback-callback.js';
import { systemClock } from '../../../../../main/core/ports/clock.js';

const wait = (callback: LoopbackCallback, state: string, timeoutMs = 5000, signal = new AbortController().signal) =>
  callback.wait(state, { clock: systemClock, timeoutMs, signal });

async function visit(callback: LoopbackCallback, query: Record<string, string>, path = '/callback'): Promise<{ status: number; text: string }> {
  const url = new URL(path, callback.redirectUri);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

describe('LoopbackCallback', () => {
  test('listens on 127.0.0.1 at /callback and hands over the code and issuer for the expected state', async () => {
    const callback = await LoopbackCallback.listen();
    try {
      assert.match(callback.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      const result = wait(callback, 'S1');
      const page = await visit(callback, { state: 'S1', code: 'C1', iss: 'https://auth.example.com' });
      assert.equal(page.status, 200);
      assert.deepEqual(await result, { code: 'C1', iss: 'https://auth.example.com' });
    } finally {
      await callback.close();
    }
  });

  test('ignores a response with another state and keeps waiting for the right one; pages echo nothing', async () => {
    const callback = await LoopbackCallback.listen();
    try {
      const result = wait(callback, 'S1');
      const forged = await visit(callback, { state: '<script>x</script>', code: 'EVIL' });
      assert.equal(forged.status, 400);
      assert.doesNotMatch(forged.text, /script|EVIL/);
      assert.equal((await visit(callback, { state: 'S1' }, '/elsewhere')).status, 404);
      await visit(callback, { state: 'S1', code: 'GOOD' });
      assert.equal((await result).code, 'GOOD');
    } finally {
      await callback.close();
    }
  });

  test('an error redirect (the user declined) rejects with the OAuth error', async () => {
    const callback = await LoopbackCallback.listen();
    try {
      const declined = assert.rejects(wait(callback, 'S1'), (error: unknown) => error instanceof AuthorizationResponseError && error.error === 'access_denied');
      await visit(callback, { state: 'S1', error: 'access_denied', error_description: 'no' });
      await declined;
    } finally {
      await callback.close();
    }
  });

  test('gives up after the timeout, and on abort', async () => {
    const callback = await LoopbackCallback.listen();
    try {
      await assert.rejects(wait(callback, 'S1', 50), CallbackTimeoutError);
      const controller = new AbortController();
      const result = wait(callback, 'S2', 5000, controller.signal);
      controller.abort(new Error('stop'));
      await assert.rejects(result, /stop/);
    } finally {
      await callback.close();
    }
  });

  test('uses the preferred port when free, and another one when it is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const callback = await LoopbackCallback.listen(taken);
    try {
      assert.notEqual(new URL(callback.redirectUri).port, String(taken));
    } finally {
      await callback.close();
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
    const again = await LoopbackCallback.listen(taken);
    try {
      assert.equal(new URL(again.redirectUri).port, String(taken), 'free again: used');
    } finally {
      await again.close();
    }
  });

  test('close() stops listening and ends a pending wait', async () => {
    const callback = await LoopbackCallback.listen();
    const cancelled = assert.rejects(wait(callback, 'S1'), /cancelled/);
    await callback.close();
    await cancelled;
    await assert.rejects(fetch(callback.redirectUri));
  });
});
