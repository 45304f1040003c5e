import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { openLoopbackRedirect, type LoopbackRedirect } from '../../../../main/core/identity/loopback-redirect.js';
import { ManualClock } from '../../../helpers/manual-clock.js';

let redirect: LoopbackRedirect | undefined;
afterEach(() => redirect?.close());

/** A raw GET, so the Host header can be chosen. */
function get(url: string, host?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('listens on the IPv4 loopback literal at an OS-chosen port, path /callback', async () => {
  redirect = await openLoopbackRedirect();
  assert.match(redirect.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
});

test('refuses a callback with another state and keeps waiting for the right one', async () => {
  redirect = await openLoopbackRedirect();
  const seen: URL[] = [];
  const done = redirect.waitForCallback('expected-state', async (url) => void seen.push(url), { clock: new ManualClock(), timeoutMs: 60_000 });
  const forged = await get(`${redirect.redirectUri}?code=stolen&state=other`);
  assert.equal(forged.status, 400);
  assert.match(forged.body, /does not belong to the sign-in/);
  const missing = await get(`${redirect.redirectUri}?code=stolen`);
  assert.equal(missing.status, 400);
  assert.equal(seen.length, 0);
  const good = await get(`${redirect.redirectUri}?code=c&state=expected-state`);
  assert.equal(good.status, 200);
  assert.match(good.body, /signed in/);
  await done;
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.searchParams.get('code'), 'c');
});

test('takes exactly one callback: a second one with the right state is refused', async () => {
  redirect = await openLoopbackRedirect();
  await Promise.all([
    redirect.waitForCallback('s', async () => {}, { clock: new ManualClock(), timeoutMs: 60_000 }),
    get(`${redirect.redirectUri}?code=c&state=s`),
  ]);
  const again = await get(`${redirect.redirectUri}?code=c&state=s`);
  assert.equal(again.status, 400);
});

test('shows the failure in the browser and rejects when completing the sign-in fails', async () => {
  redirect = await openLoopbackRedirect();
  const done = redirect.waitForCallback('s', () => Promise.reject(new Error('the IdP said no')), { clock: new ManualClock(), timeoutMs: 60_000 });
  const rejected = assert.rejects(done, /the IdP said no/);
  const answer = await get(`${redirect.redirectUri}?code=c&state=s`);
  assert.equal(answer.status, 400);
  assert.match(answer.body, /the IdP said no/);
  await rejected;
});

test('refuses requests for another Host (DNS rebinding) or another path', async () => {
  redirect = await openLoopbackRedirect();
  const done = redirect.waitForCallback('s', async () => {}, { clock: new ManualClock(), timeoutMs: 60_000 });
  const port = new URL(redirect.redirectUri).port;
  assert.equal((await get(`${redirect.redirectUri}?code=c&state=s`, `evil.example:${port}`)).status, 400);
  assert.equal((await get(`http://127.0.0.1:${port}/other?code=c&state=s`)).status, 404);
  assert.equal((await get(`${redirect.redirectUri}?code=c&state=s`)).status, 200);
  await done;
});

test('gives up after the timeout on the injected clock', async () => {
  redirect = await openLoopbackRedirect();
  const clock = new ManualClock();
  const done = redirect.waitForCallback('s', async () => {}, { clock, timeoutMs: 120_000 });
  clock.advance(120_000);
  await assert.rejects(done, (error: { code?: string; message: string }) => error.code === 'GATEHOUSE_SIGN_IN_FAILED' && /timed out/.test(error.message));
});

test('stops waiting when the signal aborts', async () => {
  redirect = await openLoopbackRedirect();
  const controller = new AbortController();
  const done = redirect.waitForCallback('s', async () => {}, { clock: new ManualClock(), timeoutMs: 60_000, signal: controller.signal });
  controller.abort();
  await assert.rejects(done, /cancelled/);
});
