// Network identifiers that describe internal infrastructure: IPv4 and IPv6 addresses.
import { isIPv6 } from 'node:net';
import type { Detector, MatchContext } from '../detector.js';

const OCTET = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/;

function ipv4Valid(value: string, context: MatchContext): boolean {
  const m = OCTET.exec(value);
  if (m === null) return false;
  const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Unspecified, loopback, broadcast and netmasks, multicast, and the documentation ranges (RFC 5737).
  if (a === 0 || a === 127 || a === 255 || a >= 224) return false;
  // A network block (10.0.0.0/8, 172.16.0.0), not a host.
  if (m[3] === '0' && m[4] === '0') return false;
  if ((a === 192 && b === 0 && c === 2) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return false;
  // Versions: v1.2.3.4, "version 10.0.1.2", go1.21.0.4.
  const before = context.text.slice(Math.max(0, context.start - 12), context.start);
  return !/[A-Za-z_]$/.test(before) && !/(?:version|ver\.?|release|build)[\s:=]*$/i.test(before);
}

function ipv6Valid(value: string): boolean {
  if (!isIPv6(value)) return false;
  const lower = value.toLowerCase();
  // Unspecified, loopback and the documentation prefix (RFC 3849).
  if (lower === '::' || lower === '::1' || lower.startsWith('2001:db8:') || lower.startsWith('2001:0db8:')) return false;
  const groups = lower.split(':').filter((g) => g.length > 0);
  return groups.length === 8 || groups.some((g) => g.length >= 3);
}

export const NETWORK_DETECTORS: readonly Detector[] = [
  {
    id: 'ipv4-address',
    title: 'IPv4 address',
    category: 'network',
    defaultAction: 'log',
    confidence: 'medium',
    pattern: /(?<![0-9.])(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}(?![0-9]|\.[0-9])/g,
    maxLength: 15,
    triggers: [{ source: '\\d\\.\\d{1,3}\\.\\d{1,3}\\.\\d', before: 14 }],
    validate: ipv4Valid,
  },
  {
    id: 'ipv6-address',
    title: 'IPv6 address',
    category: 'network',
    defaultAction: 'log',
    confidence: 'medium',
    pattern: /(?<![0-9A-Za-z:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Za-z:])/g,
    maxLength: 39,
    triggers: [
      { source: '[0-9A-Fa-f]::', before: 40 },
      { source: '::[0-9A-Fa-f]', before: 40 },
      { source: '[0-9A-Fa-f]{3}:[0-9A-Fa-f]', before: 40 },
    ],
    validate: ipv6Valid,
  },
];
