// Which IP addresses a request built from a server's say-so must never reach. A URL in OAuth
// metadata is chosen by the remote server, so without this check it could point Gatehouse at the
// laptop itself, the office network or the cloud instance-metadata service (SSRF).
import { BlockList, isIP } from 'node:net';

/** Why an address is refused; absent for an ordinary public unicast address. */
export type AddressRisk =
  | 'metadata'
  | 'unspecified'
  | 'loopback'
  | 'link-local'
  | 'private'
  | 'cgnat'
  | 'multicast'
  | 'reserved';

// Checked in this order, so the most telling name wins (169.254.169.254 is "metadata", not just
// "link-local"). Node's BlockList also matches IPv4-mapped IPv6 (::ffff:10.0.0.1 and its hex form
// ::ffff:a00:1) against IPv4 rules, which closes that bypass for every range below.
const RANGES: ReadonlyArray<readonly [AddressRisk, ReadonlyArray<string>]> = [
  ['metadata', [
    '169.254.169.254/32', // AWS, GCP, Azure, OpenStack, DigitalOcean
    '169.254.170.2/32', // AWS ECS task credentials
    '100.100.100.200/32', // Alibaba Cloud
    '192.0.0.192/32', // Oracle Cloud
    'fd00:ec2::254/128', // AWS over IPv6
  ]],
  ['unspecified', ['0.0.0.0/8', '::/128']],
  ['loopback', ['127.0.0.0/8', '::1/128']],
  ['link-local', ['169.254.0.0/16', 'fe80::/10']],
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fec0::/10']],
  ['cgnat', ['100.64.0.0/10']],
  ['multicast', ['224.0.0.0/4', 'ff00::/8']],
  ['reserved', [
    '192.0.0.0/24', // IETF protocol assignments
    '192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32', // documentation
    '198.18.0.0/15', // benchmarking
    '240.0.0.0/4', // future use, and 255.255.255.255 broadcast
    '::/96', // deprecated IPv4-compatible IPv6
    '100::/64', // discard-only
  ]],
];

const LISTS: ReadonlyArray<readonly [AddressRisk, BlockList]> = RANGES.map(([risk, cidrs]) => {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network, bits] = cidr.split('/') as [string, string];
    list.addSubnet(network, Number(bits), network.includes(':') ? 'ipv6' : 'ipv4');
  }
  return [risk, list] as const;
});

/** Classifies an IP address (v4 or v6, without brackets). Throws on something that is not an IP. */
export function classifyAddress(address: string): AddressRisk | undefined {
  const family = isIP(address);
  if (family === 0) throw new TypeError(`not an IP address: ${address}`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [risk, list] of LISTS) if (list.check(address, type)) return risk;
  if (family === 6) {
    // Translation prefixes carry an IPv4 address a gateway will connect to: judge that one.
    const embedded = embeddedIpv4(address);
    if (embedded !== undefined) return classifyAddress(embedded);
  }
  return undefined;
}

/** The IPv4 address inside a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIpv4(address: string): string | undefined {
  const groups = expandIpv6(address);
  if (groups === undefined) return undefined;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (nat64) return ipv4From(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return ipv4From(groups[1]!, groups[2]!);
  return undefined;
}

function ipv4From(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** Eight 16-bit groups, or undefined when the text is not a plain IPv6 address. */
function expandIpv6(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const octets = dotted[1]!.split('.').map(Number);
    text = text.slice(0, -dotted[1]!.length) + `${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}
