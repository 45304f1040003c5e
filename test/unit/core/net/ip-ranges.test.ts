import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyAddress, type AddressRisk } from '../../../../main/core/net/ip-ranges.js';

const CASES: ReadonlyArray<readonly [string, AddressRisk | undefined]> = [
  // public unicast
  ['8.8.8.8', undefined],
  ['1.1.1.1', undefined],
  ['172.32.0.1', undefined], // just outside 172.16/12
  ['100.128.0.1', undefined], // just outside 100.64/10
  ['2606:4700:4700::1111', undefined],
  ['::ffff:8.8.8.8', undefined],
  // metadata services, in every spelling
  ['169.254.169.254', 'metadata'],
  ['169.254.170.2', 'metadata'],
  ['100.100.100.200', 'metadata'],
  ['fd00:ec2::254', 'metadata'],
  ['::ffff:169.254.169.254', 'metadata'],
  ['::ffff:a9fe:a9fe', 'metadata'],
  ['64:ff9b::169.254.169.254', 'metadata'],
  // the rest
  ['0.0.0.0', 'unspecified'],
  ['::', 'unspecified'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['169.254.1.1', 'link-local'],
  ['fe80::1', 'link-local'],
  ['febf::1', 'link-local'],
  ['10.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['fc00::1', 'private'],
  ['fd12:3456::1', 'private'],
  ['::ffff:10.1.2.3', 'private'],
  ['::ffff:c0a8:101', 'private'],
  ['2002:c0a8:101::1', 'private'], // 6to4 wrapping 192.168.1.1
  ['64:ff9b::a00:1', 'private'], // NAT64 wrapping 10.0.0.1
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['ff02::1', 'multicast'],
  ['255.255.255.255', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['2001:db8::1', 'reserved'],
  ['::10.0.0.1', 'reserved'],
];

describe('classifyAddress', () => {
  for (const [address, expected] of CASES) {
    test(`${address} is ${expected ?? 'public'}`, () => {
      assert.equal(classifyAddress(address), expected);
    });
  }

  test('refuses to classify something that is not an IP address', () => {
    assert.throws(() => classifyAddress('example.com'), TypeError);
    assert.throws(() => classifyAddress('[::1]'), TypeError);
  });
});
