// Linear time: every built-in pattern is proven free of catastrophic backtracking by recheck, and
// 4 MiB adversarial arguments (long runs of digits, a@a@..., base64-like noise, near-miss
// prefixes repeated) are scanned in bounded time with every detector and two custom rules on.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { customDetector } from '../../../../../main/core/guard/dlp/custom-detectors.js';
import { BUILTIN_DETECTORS } from '../../../../../main/core/guard/dlp/detectors/index.js';
import { DlpPolicySchema } from '../../../../../main/core/guard/dlp/dlp-policy.js';
import { DlpScanner } from '../../../../../main/core/guard/dlp/scan.js';
import { Synth } from '../../../../fixtures/dlp/synthetic.js';

const { checkSync } = createRequire(import.meta.url)('recheck') as {
  checkSync: (source: string, flags: string, params?: { timeout: number | null }) => { status: string; complexity?: unknown; error?: unknown };
};

const MIB4 = 4 * 1024 * 1024;
const BOUND_MS = 2_000;

test('recheck proves every built-in pattern safe', { timeout: 300_000 }, () => {
  const unsafe: string[] = [];
  for (const d of BUILTIN_DETECTORS) {
    // No time limit: on a busy machine recheck's own timeout would end a proof early and report
    // 'unknown' or a fuzzing guess instead of the same answer every run.
    const result = checkSync(d.pattern.source, d.pattern.flags.replace(/[gdy]/g, ''), { timeout: null });
    if (result.status !== 'safe') unsafe.push(`${d.id}: ${result.status} ${JSON.stringify(result.complexity ?? result.error)}`);
  }
  assert.deepEqual(unsafe, []);
});

function fill(unit: string): string {
  return unit.repeat(Math.ceil(MIB4 / unit.length)).slice(0, MIB4);
}

test(`scans 4 MiB adversarial arguments in under ${BOUND_MS} ms each`, { timeout: 300_000 }, () => {
  const s = new Synth(24);
  const custom = DlpPolicySchema.parse({
    custom: [
      { id: 'acme-id', pattern: 'ACME-[A-Z0-9]{32}', action: 'block' },
      { id: 'acme-mail', pattern: '[a-z0-9._%+-]{1,64}@acme\\.example', action: 'log' },
    ],
  }).custom.map(customDetector);
  const scanner = new DlpScanner([...BUILTIN_DETECTORS, ...custom]);
  const inputs: Record<string, string> = {
    'digits': fill('4'),
    'grouped digits': fill('4111 '),
    'a@a@': fill('a@'),
    'local@': fill('a.b-c@'),
    'base64 noise': s.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', MIB4),
    'AKIA…': fill('AKIA'),
    'near ghp_': fill(`ghp_${'a'.repeat(35)} `),
    'eyJ…': fill('eyJ'),
    'JWT parts': fill('eyJhbGciOiJIUzI1NiJ9.'),
    'BEGIN…': fill('-----BEGIN '),
    'key body': `-----BEGIN PRIVATE KEY-----\n${fill('A')}`,
    'sk-': fill('sk-'),
    'dots': fill('1.1.1.1.'),
    'password=': fill('password='),
    'token=': fill('token='),
    'colons': fill('ab::'),
    '%41': fill('%41'),
    '+1 ': fill('+1 '),
    'Q~': fill('1Q~'),
    'url userinfo': fill('x://a:b@'),
    'IBAN-ish': fill(' DE12'),
    'SSN-ish': fill(' 123-45-'),
    'ACME-': fill('ACME-'),
    'words': fill('secret aws routing '),
  };
  const lines: string[] = [];
  for (const [name, text] of Object.entries(inputs)) {
    const started = performance.now();
    const result = scanner.scan({ text });
    const ms = performance.now() - started;
    lines.push(`${name.padEnd(16)} ${ms.toFixed(0).padStart(5)} ms ${(text.length / 1e6 / (ms / 1000)).toFixed(0).padStart(5)} MB/s ${result.findings.length}${result.truncated ? ' (truncated)' : ''}`);
    assert.ok(ms < BOUND_MS, `${name}: ${ms.toFixed(0)} ms`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
});
