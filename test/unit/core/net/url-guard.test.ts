import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isGatehouseError } from '../../../../common/errors.js';
import { checkUntrustedUrl, isHostAllowed, type UrlPolicy } from '../../../../main/core/net/url-guard.js';

const PROD: UrlPolicy = { allowLoopbackHttp: false };
const DEV: UrlPolicy = { allowLoopbackHttp: true };
const CORP: UrlPolicy = { allowLoopbackHttp: false, allowedHosts: ['idp.corp.example', '*.internal.example', '10.9.8.7'] };

function refusal(raw: string, policy: UrlPolicy): string | undefined {
  try {
    checkUntrustedUrl(raw, policy, 'the test URL');
    return undefined;
  } catch (error) {
    assert.ok(isGatehouseError(error) && error.code === 'GATEHOUSE_UNSAFE_URL', `unexpected error ${String(error)}`);
    return error.message;
  }
}

// [url, policy, refused because (a fragment of the message) or undefined when accepted]
const CASES: ReadonlyArray<readonly [string, UrlPolicy, string | undefined]> = [
  ['https://auth.example.com/authorize?x=1', PROD, undefined],
  ['https://93.184.215.14/', PROD, undefined],
  ['https://[2606:4700::1111]/', PROD, undefined],
  ['http://auth.example.com/', PROD, 'not https'],
  ['http://auth.example.com/', DEV, undefined], // dev: a name is held to loopback after resolution
  ['http://10.0.0.1/', DEV, 'not https'],
  ['http://127.0.0.1:8080/', PROD, 'not https'],
  ['http://127.0.0.1:8080/', DEV, undefined],
  ['http://[::1]:8080/', DEV, undefined],
  ['http://localhost:8080/', DEV, undefined],
  ['http://0x7f.1/', DEV, undefined], // the parser turns it into 127.0.0.1
  ['https://127.0.0.1/', PROD, 'loopback'],
  ['https://0x7f.1/', PROD, 'loopback'],
  ['https://2130706433/', PROD, 'loopback'],
  ['https://[::ffff:127.0.0.1]/', PROD, 'loopback'],
  ['https://localhost/', PROD, 'loopback'],
  ['https://app.localhost/', PROD, 'loopback'],
  ['https://10.0.0.1/', PROD, 'private network'],
  ['https://10.0.0.1/', DEV, 'private network'],
  ['https://192.168.0.10/', PROD, 'private network'],
  ['https://[fd00::1]/', PROD, 'private network'],
  ['https://[::ffff:10.0.0.1]/', PROD, 'private network'],
  ['https://169.254.10.1/', PROD, 'link-local'],
  ['https://[fe80::1]/', PROD, 'link-local'],
  ['https://100.64.1.1/', PROD, 'carrier-grade NAT'],
  ['https://0.0.0.0/', PROD, 'unspecified'],
  ['https://224.0.0.1/', PROD, 'multicast'],
  ['https://169.254.169.254/latest/meta-data/', PROD, 'instance-metadata'],
  ['https://[fd00:ec2::254]/', PROD, 'instance-metadata'],
  ['https://[::ffff:a9fe:a9fe]/', PROD, 'instance-metadata'],
  ['https://metadata.google.internal/computeMetadata/v1/', PROD, 'instance-metadata'],
  ['https://METADATA.google.internal./', PROD, 'instance-metadata'],
  ['https://user:secret@auth.example.com/', PROD, 'user name or password'],
  ['https://user@auth.example.com/', PROD, 'user name or password'],
  ['javascript:alert(1)', PROD, 'scheme javascript:'],
  ['file:///etc/passwd', PROD, 'scheme file:'],
  ['ftp://auth.example.com/', PROD, 'scheme ftp:'],
  ['not a url', PROD, 'not a valid URL'],
  ['//auth.example.com/relative', PROD, 'not a valid URL'],
  // the policy's allow-list lifts the address rule, never https and never metadata
  ['https://10.9.8.7/', CORP, undefined],
  ['https://10.9.8.6/', CORP, 'private network'],
  ['http://10.9.8.7/', CORP, 'not https'],
  ['https://169.254.169.254/', { allowLoopbackHttp: false, allowedHosts: ['169.254.169.254'] }, 'instance-metadata'],
];

describe('checkUntrustedUrl', () => {
  for (const [raw, policy, expected] of CASES) {
    const mode = policy === DEV ? 'dev' : policy === PROD ? 'prod' : 'policy';
    test(`${expected ? 'refuses' : 'accepts'} ${raw} (${mode})`, () => {
      const message = refusal(raw, policy);
      if (expected === undefined) assert.equal(message, undefined);
      else assert.match(message ?? '(accepted)', new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    });
  }

  test('the message names the URL without its credentials, query or fragment', () => {
    const message = refusal('http://user:hunter2@auth.example.com/path?token=abc#frag', PROD) ?? '';
    assert.match(message, /http:\/\/auth\.example\.com\/path/);
    assert.doesNotMatch(message, /hunter2|token=abc|frag/);
  });

  test('a refusal of a private address tells the admin how to allow an internal host; one of the metadata service does not', () => {
    assert.match(refusal('https://10.0.0.1/', PROD) ?? '', /auth\.allowedHosts/);
    assert.doesNotMatch(refusal('https://169.254.169.254/', PROD) ?? '', /allowedHosts/);
  });

  test('returns the parsed URL, normalised by the WHATWG parser', () => {
    assert.equal(checkUntrustedUrl('HTTPS://Auth.Example.COM:443/a/../b', PROD, 'x').href, 'https://auth.example.com/b');
  });
});

describe('isHostAllowed', () => {
  test('matches exact names case-insensitively and *.suffix rules on subdomains only', () => {
    assert.equal(isHostAllowed('IDP.corp.example', CORP), true);
    assert.equal(isHostAllowed('a.b.internal.example', CORP), true);
    assert.equal(isHostAllowed('internal.example', CORP), false);
    assert.equal(isHostAllowed('evilinternal.example', CORP), false);
    assert.equal(isHostAllowed('idp.corp.example.evil.com', CORP), false);
  });
});
