// Resolves a host from an untrusted URL and refuses it when any address it resolves to is off
// limits. Every address counts, not just the first: a name that answers with one public and one
// private address is an attack (or a misconfiguration) either way, and the caller then connects
// only to addresses that were checked here.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress } from './ip-ranges.js';
import { bareHostname, checkUntrustedUrl, displayUrl, notHttps, refuseAddress, type UrlPolicy } from './url-guard.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** All addresses of a host name, in the resolver's order. Tests pass a fake to simulate DNS. */
export type LookupAll = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

export const systemLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, order: 'verbatim' });

/** The checked addresses for `url`'s host (already through checkUntrustedUrl), never empty. */
export async function resolveSafeAddresses(url: URL, policy: UrlPolicy, what: string, lookup: LookupAll = systemLookup): Promise<ResolvedAddress[]> {
  const host = bareHostname(url);
  const literal = isIP(host);
  const found = literal !== 0 ? [{ address: host, family: literal }] : await lookup(host);
  if (found.length === 0) throw new Error(`${host} has no addresses`);
  const addresses: ResolvedAddress[] = [];
  for (const { address, family } of found) {
    const refusal = refuseAddress(address, host, policy, what, displayUrl(url));
    if (refusal) throw refusal;
    if (url.protocol === 'http:' && classifyAddress(address) !== 'loopback') throw notHttps(what, displayUrl(url), policy);
    addresses.push({ address, family: family === 6 ? 6 : 4 });
  }
  return addresses;
}

/** The whole check for a URL Gatehouse will hand on (to the browser, say) rather than fetch itself. */
export async function assertSafeUrl(raw: string | URL, policy: UrlPolicy, what: string, lookup: LookupAll = systemLookup): Promise<URL> {
  const url = checkUntrustedUrl(raw, policy, what);
  await resolveSafeAddresses(url, policy, what, lookup);
  return url;
}
