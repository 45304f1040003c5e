// The checks a URL learned from a server (OAuth metadata, a WWW-Authenticate challenge, a
// registration response) must pass before Gatehouse contacts it or shows it to the user. Such a URL
// is chosen by the remote side, so it is parsed with the WHATWG parser (which also normalises
// tricks like http://0x7f.1/ to 127.0.0.1) and judged by what it really points at.
import { isIP } from 'node:net';
import { GatehouseError } from '../../../common/errors.js';
import { classifyAddress, type AddressRisk } from './ip-ranges.js';

export interface UrlPolicy {
  /** Development only: allow plain http to loopback hosts, and loopback addresses at all. */
  allowLoopbackHttp: boolean;
  /**
   * Hosts the organisation's policy vouches for even though they resolve to a non-public address
   * (an internal authorization server, say): exact names, or `*.corp.example` for any subdomain.
   * Never lifts the https requirement, and never opens the cloud metadata service.
   */
  allowedHosts?: readonly string[];
}

// Names that resolve to the instance-metadata service inside cloud VMs whatever DNS says elsewhere.
const METADATA_HOSTNAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

const RISK_WORDS: Record<AddressRisk, string> = {
  metadata: 'the cloud instance-metadata service',
  unspecified: 'an unspecified address',
  loopback: 'this computer (loopback)',
  'link-local': 'a link-local address',
  private: 'a private network address',
  cgnat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

/** The URL without credentials, query or fragment: safe to put in a message or a log. */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

export function unsafeUrl(what: string, shown: string, reason: string, advice = ''): GatehouseError {
  return new GatehouseError('GATEHOUSE_UNSAFE_URL', `Gatehouse refused ${what} ${shown}: ${reason}.${advice ? ' ' + advice : ''}`);
}

const ALLOW_ADVICE = 'If this host belongs to your organisation, an administrator can allow it in the policy (auth.allowedHosts).';

/** Bare hostname: IPv6 literals lose their brackets, names their trailing dot, all lower case. */
export function bareHostname(url: URL): string {
  const host = url.hostname.toLowerCase();
  const unbracketed = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return unbracketed.endsWith('.') ? unbracketed.slice(0, -1) : unbracketed;
}

export function notHttps(what: string, shown: string, policy: UrlPolicy): GatehouseError {
  return unsafeUrl(what, shown, 'it is not https', policy.allowLoopbackHttp ? 'Plain http is accepted only to loopback addresses, in development mode.' : '');
}

export function isHostAllowed(hostname: string, policy: UrlPolicy): boolean {
  const host = hostname.toLowerCase();
  return (policy.allowedHosts ?? []).some((entry) => {
    const rule = entry.toLowerCase();
    return rule.startsWith('*.') ? host.endsWith(rule.slice(1)) : host === rule;
  });
}

function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

function isLoopbackHost(host: string): boolean {
  return isLoopbackName(host) || (isIP(host) !== 0 && classifyAddress(host) === 'loopback');
}

/**
 * The refusal for connecting to `address`, reached through `hostname`, or undefined when it may be
 * used. Metadata addresses are refused even for allowed hosts: no policy has a reason to send OAuth
 * traffic there, and a compromised internal DNS name is exactly how it would happen.
 */
export function refuseAddress(address: string, hostname: string, policy: UrlPolicy, what: string, shown: string): GatehouseError | undefined {
  const risk = classifyAddress(address);
  if (risk === undefined) return undefined;
  const reason = `it leads to ${RISK_WORDS[risk]} (${address})`;
  if (risk === 'metadata') return unsafeUrl(what, shown, reason);
  if (risk === 'loopback' && policy.allowLoopbackHttp) return undefined;
  if (isHostAllowed(hostname, policy)) return undefined;
  return unsafeUrl(what, shown, reason, ALLOW_ADVICE);
}

/**
 * Parses and checks a URL from an untrusted source without touching the network: scheme, embedded
 * credentials, and any host that is itself an IP address or a well-known metadata/loopback name.
 * Names are judged after DNS resolution (see resolveSafeAddresses), including whether a plain-http
 * name really is loopback.
 * `what` names the URL in the error ("the authorization server URL that docs advertised").
 */
export function checkUntrustedUrl(raw: string | URL, policy: UrlPolicy, what: string): URL {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw unsafeUrl(what, JSON.stringify(String(raw).slice(0, 200)), 'it is not a valid URL');
  }
  const shown = displayUrl(url);
  if (url.username || url.password) throw unsafeUrl(what, shown, 'it carries a user name or password');
  const host = bareHostname(url);
  if (url.protocol === 'http:') {
    // In development, http is fine to loopback; a name is held to that after resolution.
    if (!policy.allowLoopbackHttp || (isIP(host) !== 0 && !isLoopbackHost(host))) throw notHttps(what, shown, policy);
  } else if (url.protocol !== 'https:') {
    throw unsafeUrl(what, shown, `the scheme ${url.protocol} is not allowed (https only)`);
  }
  if (METADATA_HOSTNAMES.has(host)) throw unsafeUrl(what, shown, `it names ${RISK_WORDS.metadata}`);
  if (isLoopbackName(host) && !policy.allowLoopbackHttp && !isHostAllowed(host, policy)) {
    throw unsafeUrl(what, shown, `it leads to ${RISK_WORDS.loopback}`);
  }
  if (isIP(host) !== 0) {
    const refusal = refuseAddress(host, host, policy, what, shown);
    if (refusal) throw refusal;
  }
  return url;
}
