import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openableUrl, shellOpener } from '../../../main/electron/opener.js';

function recordingShell() {
  const opened: string[] = [];
  return { opened, shell: { openExternal: async (url: string) => void opened.push(url) } };
}

test('opens https URLs through the shell', async () => {
  const { opened, shell } = recordingShell();
  await shellOpener(shell, { allowLoopbackHttp: false }).open(new URL('https://idp.example.com/authorize?client_id=gatehouse&state=x'));
  assert.deepEqual(opened, ['https://idp.example.com/authorize?client_id=gatehouse&state=x']);
});

test('refuses every other scheme before the shell sees it', async () => {
  const { opened, shell } = recordingShell();
  const opener = shellOpener(shell, { allowLoopbackHttp: false });
  for (const url of ['http://example.com/', 'file:///Applications/Calculator.app', 'smb://attacker/share', 'javascript:alert(1)', 'ms-msdt:/id', 'vscode://file/etc', 'http://127.0.0.1:8080/']) {
    await assert.rejects(opener.open(new URL(url)), /only https/, url);
  }
  assert.deepEqual(opened, []);
});

test('refuses URLs with credentials, which can disguise the real host', () => {
  assert.equal(openableUrl('https://accounts.example.com@evil.example/', false), undefined);
  assert.equal(openableUrl('https://user:pass@example.com/', false), undefined);
});

test('plain-http loopback only in development, and only loopback', () => {
  assert.equal(openableUrl('http://127.0.0.1:9000/consent', true)?.href, 'http://127.0.0.1:9000/consent');
  assert.equal(openableUrl('http://localhost:9000/', true)?.href, 'http://localhost:9000/');
  assert.equal(openableUrl('http://127.0.0.1:9000/consent', false), undefined);
  assert.equal(openableUrl('http://192.168.1.10/', true), undefined);
  assert.equal(openableUrl('http://127.0.0.1.evil.example/', true), undefined);
});

test('refuses what is not a URL at all', () => {
  assert.equal(openableUrl('not a url', true), undefined);
  assert.equal(openableUrl('', true), undefined);
});
