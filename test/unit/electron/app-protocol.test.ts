import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { APP_CSP, APP_SCHEME_PRIVILEGES, createAppProtocolHandler, fileFor } from '../../../main/electron/app-protocol.js';

const root = path.resolve('/opt/gatehouse/renderer/dist');
const files = new Map<string, string>([
  [path.join(root, 'index.html'), '<!doctype html><title>Gatehouse</title>'],
  [path.join(root, 'assets', 'index-abc.js'), 'console.log(1)'],
  [path.join(root, 'assets', 'index-abc.css'), 'body{}'],
  [path.join(root, 'favicon.svg'), '<svg/>'],
]);
const read: string[] = [];
const handler = createAppProtocolHandler({
  root,
  readFile: async (file) => {
    read.push(file);
    const text = files.get(file);
    if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return new TextEncoder().encode(text);
  },
});
const get = (url: string, method = 'GET') => handler({ url, method });

test('serves index.html for / and the built assets, each with its content type', async () => {
  const index = await get('app://gatehouse/');
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(await index.text(), '<!doctype html><title>Gatehouse</title>');
  assert.equal((await get('app://gatehouse/index.html#/prompts')).status, 200);
  assert.equal((await get('app://gatehouse/assets/index-abc.js')).headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal((await get('app://gatehouse/assets/index-abc.css')).headers.get('content-type'), 'text/css; charset=utf-8');
  assert.equal((await get('app://gatehouse/favicon.svg')).headers.get('content-type'), 'image/svg+xml');
});

test('every answer carries the strict CSP and nosniff', async () => {
  for (const url of ['app://gatehouse/', 'app://gatehouse/missing.js']) {
    const response = await get(url);
    assert.equal(response.headers.get('content-security-policy'), APP_CSP);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  }
  for (const directive of ["default-src 'none'", "script-src 'self'", "connect-src 'none'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'"]) {
    assert.ok(APP_CSP.split('; ').includes(directive), directive);
  }
  assert.doesNotMatch(APP_CSP, /unsafe-inline|unsafe-eval|\*|data:|https:/);
});

test('never serves a file outside the built renderer', async () => {
  for (const url of [
    'app://gatehouse/../../../etc/passwd',
    'app://gatehouse/%2e%2e/%2e%2e/etc/passwd',
    'app://gatehouse/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://gatehouse/..%5c..%5cwindows%5cwin.ini',
    'app://gatehouse/index.html%00.png',
    'app://gatehouse/%E0%A4%A',
  ]) {
    const file = fileFor(root, url);
    assert.ok(file === undefined || file.startsWith(root + path.sep), `${url} -> ${file}`);
    assert.notEqual((await get(url)).status, 200, url);
  }
  assert.ok(read.every((file) => file.startsWith(root + path.sep)), read.join(', '));
});

test('answers only its own host and only GET or HEAD', async () => {
  assert.equal((await get('app://other/index.html')).status, 404);
  assert.equal((await get('https://gatehouse/index.html')).status, 404);
  assert.equal((await get('app://gatehouse/index.html', 'POST')).status, 405);
  const head = await get('app://gatehouse/index.html', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});

test('a missing file is a 404, not the index', async () => {
  assert.equal((await get('app://gatehouse/dashboard')).status, 404);
});

test('the scheme is standard and secure, but readable by no other origin and never above the CSP', () => {
  assert.equal(APP_SCHEME_PRIVILEGES.scheme, 'app');
  assert.equal(APP_SCHEME_PRIVILEGES.privileges.standard, true);
  assert.equal(APP_SCHEME_PRIVILEGES.privileges.secure, true);
  assert.equal(APP_SCHEME_PRIVILEGES.privileges.corsEnabled, false);
  assert.equal(APP_SCHEME_PRIVILEGES.privileges.bypassCSP, false);
  assert.equal(APP_SCHEME_PRIVILEGES.privileges.allowServiceWorkers, false);
});
