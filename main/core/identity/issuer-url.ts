// The IdP receives refresh tokens and hands out every token Gatehouse uses, so it is reached over
// https only. Plain http is possible solely for an IdP on this machine (the demo IdP, tests), and
// only when the host passes the explicit insecure-dev-issuer switch, which it must announce loudly.
import { GatehouseError } from '../../../common/errors.js';
import { isLoopbackHostname } from '../policy/server-url.js';

export interface CheckedIssuer {
  readonly url: URL;
  /** True when the issuer is plain http (allowed only for loopback with the switch). */
  readonly insecure: boolean;
}

export function checkIssuerUrl(issuer: string, allowInsecureIssuer: boolean): CheckedIssuer {
  if (!URL.canParse(issuer)) throw unsafe(`the identity issuer '${issuer}' is not an absolute URL; ask your IT admin to fix identity.issuer in the policy`);
  const url = new URL(issuer);
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw unsafe('the identity issuer must not contain credentials, a query or a fragment; ask your IT admin to fix identity.issuer in the policy');
  }
  if (url.protocol === 'https:') return { url, insecure: false };
  if (url.protocol !== 'http:') throw unsafe(`the identity issuer must use https, not ${url.protocol.slice(0, -1)}`);
  if (!isLoopbackHostname(url.hostname)) {
    throw unsafe(`the identity issuer ${url.origin} uses plain http; Gatehouse signs in only over https (http is possible only for a test IdP on this machine)`);
  }
  if (!allowInsecureIssuer) {
    throw unsafe(`the identity issuer ${url.origin} uses plain http; Gatehouse signs in only over https. For a local test IdP, pass --insecure-dev-issuer`);
  }
  return { url, insecure: true };
}

function unsafe(message: string): GatehouseError {
  return new GatehouseError('GATEHOUSE_UNSAFE_URL', message);
}

/** The authorization endpoint comes from the IdP's metadata and is opened in the user's browser:
 *  https, or http on loopback only under the same switch as the issuer. */
export function checkAuthorizationUrl(url: URL, allowInsecure: boolean): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && allowInsecure && isLoopbackHostname(url.hostname)) return;
  throw unsafe(`the IdP's sign-in page ${url.origin} is not https; Gatehouse will not open it`);
}
