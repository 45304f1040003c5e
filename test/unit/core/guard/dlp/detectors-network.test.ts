import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detect, matched } from './detect.js';

test('finds IPv4 addresses of hosts, not loopback, netmasks, documentation ranges or versions', () => {
  assert.deepEqual(matched('connect to 10.20.30.40:5432'), ['10.20.30.40']);
  for (const text of ['127.0.0.1', 'bind 0.0.0.0', 'netmask 255.255.255.0', '192.0.2.10', 'version 10.2.3.4', 'v1.2.3.4', 'OID 1.3.6.1.4.1.311', '10.0.0.0/8']) assert.deepEqual(detect(text), [], text);
});

test('finds IPv6 addresses, not loopback, documentation prefixes, C++ scopes, times or MAC addresses', () => {
  assert.deepEqual(matched('resolver 2606:4700:4700::1111 up'), ['2606:4700:4700::1111']);
  assert.deepEqual(detect('fe80::1ff:fe23:4567:890a'), ['ipv6-address']);
  for (const text of ['[::1]:8080', '2001:db8::1', 'std::vector<int>', '12:30:45', '00:1a:2b:3c:4d:5e']) assert.deepEqual(detect(text), [], text);
});
