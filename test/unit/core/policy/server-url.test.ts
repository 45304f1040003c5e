import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHostname, serverUrlProblem } from '../../../../main/core/policy/server-url.js';

test('accepts any https url', () => {
  assert.equal(serverUrlProblem('https://mcp.example.com/mcp'), undefined);
  assert.equal(serverUrlProblem('https://10.0.0.5:8443/mcp?tenant=a'), undefined);
});

test('accepts http for every loopback spelling', () => {
  for (const url of ['http://127.0.0.1:3001/mcp', 'http://127.255.3.4/mcp', 'http://localhost:3000/', 'http://LOCALHOST/mcp', 'http://[::1]:3000/mcp', 'http://127.1/mcp', 'http://0x7f.0.0.1/mcp']) {
    assert.equal(serverUrlProblem(url), undefined, url);
  }
});

test('rejects an http url that is not loopback', () => {
  for (const url of ['http://mcp.example.com/mcp', 'http://10.0.0.1/mcp', 'http://127.0.0.1.nip.io/mcp', 'http://localhost.example.com/', 'http://[::2]/', 'http://0.0.0.0:3000/']) {
    assert.equal(serverUrlProblem(url), 'must use https (http is allowed only for loopback addresses)', url);
  }
});

test('rejects credentials in the url, for https as well', () => {
  assert.match(serverUrlProblem('https://user:secret@mcp.example.com/mcp') ?? '', /must not contain a user name or password/);
  assert.match(serverUrlProblem('http://user@127.0.0.1/mcp') ?? '', /must not contain a user name or password/);
});

test('rejects schemes other than http and https', () => {
  assert.equal(serverUrlProblem('ws://127.0.0.1/mcp'), 'must use https, not ws');
  assert.equal(serverUrlProblem('file:///etc/passwd'), 'must use https, not file');
});

test('rejects text that is not an absolute url', () => {
  assert.match(serverUrlProblem('mcp.example.com/mcp') ?? '', /must be an absolute URL/);
  assert.match(serverUrlProblem('') ?? '', /must be an absolute URL/);
});

test('treats only 127.0.0.0/8, ::1 and localhost as loopback', () => {
  assert.equal(isLoopbackHostname('127.0.0.1'), true);
  assert.equal(isLoopbackHostname('[::1]'), true);
  assert.equal(isLoopbackHostname('localhost'), true);
  assert.equal(isLoopbackHostname('128.0.0.1'), false);
  assert.equal(isLoopbackHostname('foo.localhost'), false);
});
